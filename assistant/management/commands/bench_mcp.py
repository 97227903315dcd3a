"""Time each MCP tool call against the page that shows the same thing.

For the database the settings point at (``make run``'s demo data, or the
benchmark's): each tool is called through the SDK's in-memory client (the
whole protocol path: argument validation, the answer, the structured result)
and its page is rendered through Django's test client, ``--repeat`` times
each after a warm-up; the medians and the queries of one call are printed.
The data cache is off for both unless ``--cached``, so both do their work.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client as PageClient
from django.test.utils import CaptureQueriesContext, override_settings
from mcp import Client
from mcp.types import TextContent

from assistant.server import build_server
from changes.models import Move, migration_url
from decisions.models import DecisionTool
from tools.models import Tool


class Command(BaseCommand):
    help = "Time each MCP tool call against its matching page (medians, ms)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument(
            "--cached",
            action="store_true",
            help="Keep the data cache on (PAGE_CACHE_SECONDS as configured).",
        )
        parser.add_argument(
            "--scan",
            type=Path,
            default=settings.BASE_DIR / "scanner/tests/data/repos/saleor-saleor/files",
            help="The folder scan_repository reads (default: Saleor's manifests, from the scanner's test data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tools = list(Tool.objects.approved().order_by("-stack_count")[:2])
        if len(tools) < 2:
            raise CommandError(
                "No data: run `make run` (or load_catalog and seed_demo) first."
            )
        first, second = tools
        discussed = (
            DecisionTool.objects.values_list("tool__slug", flat=True)
            .order_by("-tool__stack_count")
            .first()
        ) or first.slug
        move = Move.objects.values_list("from_tool__slug", "to_tool__slug").first()
        moved = move[0] if move else first.slug
        pair = sorted([first.slug, second.slug])
        stackup = f"/stackups/{pair[0]}-vs-{pair[1]}/"
        # The page, or the pages, showing what the call answers: a
        # comparison's answer spans three tabs of the stackup page.
        cases: list[tuple[str, dict[str, Any], list[str]]] = [
            (
                "search_tools",
                {"query": first.name[:5]},
                ["/search/tools/?" + urlencode({"q": first.name[:5]})],
            ),
            ("get_tool", {"slug": first.slug}, [first.get_absolute_url()]),
            (
                "compare_tools",
                {"slugs": pair},
                [stackup, f"{stackup}decisions/", f"{stackup}comparison/"],
            ),
            (
                "companies_using",
                {"slug": first.slug},
                [f"/companies/?tool={first.slug}"],
            ),
            (
                "decisions_about",
                {"slug": discussed},
                [f"/decisions/?tool={discussed}"],
            ),
            (
                "migrations_from",
                {"slug": moved},
                [migration_url(*move) if move else first.get_absolute_url()],
            ),
            ("scan_repository", {"path": str(options["scan"].resolve())}, []),
        ]
        overrides: dict[str, Any] = {
            "ALLOWED_HOSTS": ["*"],
            "SECURE_SSL_REDIRECT": False,
            # Pages name static files without `collectstatic`'s manifest.
            "STORAGES": {
                **settings.STORAGES,
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            },
        }
        if not options["cached"]:
            overrides["PAGE_CACHE_SECONDS"] = 0
        server = build_server(scan_roots=[options["scan"].resolve()])
        repeat = max(options["repeat"], 1)
        rows = []
        with override_settings(**overrides):
            for name, arguments, pages in cases:
                call_ms, call_queries = self.time_call(server, name, arguments, repeat)
                timed_pages = [self.time_page(page, repeat) for page in pages]
                rows.append(
                    (
                        name,
                        call_ms,
                        call_queries,
                        " + ".join(pages) or "(no page)",
                        sum(ms for ms, _ in timed_pages) if pages else None,
                        sum(q for _, q in timed_pages),
                    )
                )
        self.stdout.write(
            f"{'tool':<17} {'call ms':>8} {'q':>3}   {'page ms':>8} {'q':>3}   page"
        )
        for name, call_ms, call_q, page, page_ms, page_q in rows:
            page_text = (
                f"{page_ms:8.1f} {page_q:>3}"
                if page_ms is not None
                else f"{'-':>8} {'-':>3}"
            )
            self.stdout.write(
                f"{name:<17} {call_ms:8.1f} {call_q:>3}   {page_text}   {page}"
            )

    def time_call(
        self, server: Any, name: str, arguments: dict[str, Any], repeat: int
    ) -> tuple[float, int]:
        async def session() -> list[float]:
            async with Client(server) as client:
                timings = []
                for _ in range(repeat + 1):
                    start = time.perf_counter()
                    result = await client.call_tool(name, arguments)
                    timings.append(time.perf_counter() - start)
                    if result.is_error:
                        said = [
                            c.text for c in result.content if isinstance(c, TextContent)
                        ]
                        raise CommandError(f"{name}: {' '.join(said)}")
                return timings[1:]

        with CaptureQueriesContext(connection) as queries:
            async_to_sync(session)()
        count = len(queries) // (repeat + 1)
        return median_ms(async_to_sync(session)()), count

    def time_page(self, path: str, repeat: int) -> tuple[float, int]:
        client = PageClient()

        def render() -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")

        render()
        with CaptureQueriesContext(connection) as queries:
            render()
        # Read now: the next request empties the log the count slices.
        count = len(queries)
        return median_ms(timed(render, repeat)), count


def timed(fn: Callable[[], None], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return timings


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000
