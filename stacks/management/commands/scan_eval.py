"""Measure the scanner and the matcher on real repositories: ``make scan-eval``.

Each folder of ``scanner/tests/data/repos`` holds the files the scanner reads
from one public repository (``SOURCE`` names it and its commit) and the stack
judged by hand from those files (``expected.toml``). The tools the import
would pre-select are compared with that stack: recall and precision per
repository and overall (over all tools of all repositories), each miss and
false positive named. A miss whose slug the catalog lacks is named "not in
catalog": the catalog, not the scanner, has to grow for it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

import scanner
from stacks.detection import match_packages
from tools.models import Tool

CORPUS = Path(settings.BASE_DIR) / "scanner" / "tests" / "data" / "repos"


def evaluate(folder: Path, catalog: set[str]) -> dict[str, Any]:
    expected = set(tomllib.loads((folder / "expected.toml").read_text())["stack"])
    result = scanner.scan(folder / "files")
    detected = match_packages(result.packages)
    found = {c.tool.slug: c for c in detected.matched if c.selected}
    hits = expected & found.keys()
    misses = sorted(expected - found.keys())
    return {
        "name": folder.name,
        "source": (folder / "SOURCE").read_text().splitlines()[0].split(": ", 1)[-1],
        "expected": len(expected),
        "found": len(found),
        "hits": len(hits),
        "recall": round(len(hits) / len(expected), 3) if expected else 1.0,
        "precision": round(len(hits) / len(found), 3) if found else 1.0,
        "misses": [slug for slug in misses if slug in catalog],
        "not_in_catalog": [slug for slug in misses if slug not in catalog],
        "false_positives": [
            {
                "tool": slug,
                "evidence": f"{found[slug].file}"
                + (
                    f":{found[slug].evidence[0].line}"
                    if found[slug].evidence[0].line
                    else ""
                )
                + f" ({found[slug].kind})",
            }
            for slug in sorted(found.keys() - expected)
        ],
        "warnings": len(result.warnings),
    }


class Command(BaseCommand):
    help = (
        "Run the scanner and the matcher over the corpus of real repositories and "
        "print recall and precision; writes scan-eval.json at the repository root."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "scan-eval.json")
        )
        parser.add_argument("names", nargs="*", help="only these corpus folders")

    def handle(self, *args: Any, **options: Any) -> None:
        catalog = set(Tool.objects.approved().values_list("slug", flat=True))
        folders = sorted(f for f in CORPUS.iterdir() if (f / "expected.toml").exists())
        if options["names"]:
            folders = [f for f in folders if f.name in options["names"]]
        rows = [evaluate(folder, catalog) for folder in folders]
        expected = sum(r["expected"] for r in rows)
        found = sum(r["found"] for r in rows)
        hits = sum(r["hits"] for r in rows)
        absent = sum(len(r["not_in_catalog"]) for r in rows)
        out = self.stdout
        for row in rows:
            out.write(
                f"{row['name']:<40} recall {row['recall']:6.1%}  "
                f"precision {row['precision']:6.1%}  ({row['hits']}/{row['expected']} "
                f"expected, {row['found']} pre-selected)"
            )
            if row["misses"]:
                out.write(f"    missed: {', '.join(row['misses'])}")
            if row["not_in_catalog"]:
                out.write(f"    not in catalog: {', '.join(row['not_in_catalog'])}")
            if row["false_positives"]:
                wrong = ", ".join(
                    f"{fp['tool']} [{fp['evidence']}]" for fp in row["false_positives"]
                )
                out.write(f"    false positives: {wrong}")
        recall = hits / expected if expected else 1.0
        precision = hits / found if found else 1.0
        within = hits / (expected - absent) if expected > absent else 1.0
        out.write("")
        out.write(
            f"overall over {len(rows)} repositories: recall {recall:.1%} "
            f"({hits}/{expected}), precision {precision:.1%} ({hits}/{found}); "
            f"{absent} expected tools not in the catalog; recall of the tools the "
            f"catalog has {within:.1%}"
        )
        low = [r["name"] for r in rows if r["recall"] < 0.6]
        if low:
            out.write(f"below 60% recall: {', '.join(low)}")
        Path(options["output"]).write_text(
            json.dumps(
                {
                    "recall": round(recall, 3),
                    "precision": round(precision, 3),
                    "recall_of_catalog_tools": round(within, 3),
                    "not_in_catalog": absent,
                    "repositories": rows,
                },
                indent=2,
            )
            + "\n"
        )
