"""Score search and autocomplete on the hand-judged queries, on this database.

``make search-eval`` runs it on SQLite and PostgreSQL and writes
search-eval.json; run it alone on any database holding the catalog.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from search.evaluation import QUERIES, read_queries, score
from search.views import AUTOCOMPLETE_SIZE
from tools.models import Tool
from tools.search import search_tools


def searched(query: str) -> list[str]:
    """What the search page lists first."""
    return [tool.slug for tool in search_tools(query)[:3]]


def autocompleted(query: str) -> list[str]:
    """What the autocomplete view offers first."""
    return list(
        Tool.objects.approved()
        .autocomplete(query)
        .values_list("slug", flat=True)[:AUTOCOMPLETE_SIZE]
    )


class Command(BaseCommand):
    help = "Top-1 and top-3 accuracy of search and autocomplete on the judged queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queries", type=Path, default=QUERIES)
        parser.add_argument(
            "--output", type=Path, help="Write the figures and misses as JSON here."
        )

    def handle(
        self,
        *args: Any,
        queries: Path,
        output: Path | None,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        if not Tool.objects.approved().exists():
            raise CommandError("No approved tools: run load_catalog first.")
        judged = read_queries(queries)
        known = set(Tool.objects.approved().values_list("slug", flat=True))
        unknown = [item.query for item in judged if not item.expected & known]
        judged = [item for item in judged if item.expected & known]
        result: dict[str, Any] = {
            "database": connection.vendor,
            "queries": len(judged),
            "skipped": unknown,
            "search": score(judged, searched),
            "autocomplete": score(judged, autocompleted),
        }
        if output:
            output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        if verbosity:
            for name in ["search", "autocomplete"]:
                figures = result[name]
                self.stdout.write(
                    f"{connection.vendor} {name}: top-1 {figures['top1']:.1%}, "
                    f"top-3 {figures['top3']:.1%} of {len(judged)} queries"
                )
            if unknown:
                self.stdout.write(f"skipped (no such tool here): {', '.join(unknown)}")
