"""Prepare ``make bench``'s page list against the bench database.

    manage.py bench_pages --output .bench/pages.json

Resolves each page's address from the data, skips (with a note) the pages
whose app is not in this checkout yet, signs the bench reader in (a real
session, for wrk's Cookie header), and counts the SQL queries of each page
in-process with Django's test client: once with an empty cache (the cost of
a miss) and once more (what a warm cache leaves).

With ``--addresses DIR`` it also writes every address of each kind of page
(bench.pages.KINDS, most visited first, one a line) for the spread runs, and
times cold renders: ``--cold N`` addresses of each kind, spread over the
list, each rendered in-process right after the cache is emptied (the first
render of a kind, which compiles its templates, is not counted).
"""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.generators import READER_USERNAME
from bench.pages import KINDS, MISSING, PAGES, Page, resolvable
from bench.report import ACCEPT_ENCODING, percentile

HOST = "127.0.0.1"


class Command(BaseCommand):
    help = "Resolve the benchmark's pages, sign the bench reader in, count each page's queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="Write the JSON here (default: stdout)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the pages and addresses only: no session, no requests.",
        )
        parser.add_argument(
            "--addresses",
            type=Path,
            help="Write each kind's addresses in this folder and time cold renders.",
        )
        parser.add_argument(
            "--cold", type=int, default=25, help="Cold renders timed per kind."
        )

    def handle(
        self,
        *args: Any,
        output: Path | None = None,
        dry_run: bool = False,
        addresses: Path | None = None,
        cold: int = 25,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        reader = User.objects.filter(username=READER_USERNAME).first()
        if reader is None and not dry_run:
            raise CommandError("No bench reader here: run generate_bench_data first.")
        # Asking for gzip as browsers do: a cold render's time includes
        # compressing the page.
        browser = partial(
            Client,
            HTTP_HOST=HOST,
            HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING,
            raise_request_exception=False,
        )
        anonymous, member = browser(), browser()
        cookie = ""
        if reader is not None and not dry_run:
            member.force_login(reader)
            # A browser holds its CSRF cookie too; a member's cached copies need it.
            member.get("/")
            cookie = "; ".join(
                f"{name}={member.cookies[name].value}"
                for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
            )
        pages, skipped = [], []
        for page in PAGES:
            path = page.path()
            if path == MISSING or not resolvable(path):
                skipped.append({"name": page.name, "reason": _reason(page, path)})
                continue
            entry: dict[str, Any] = {
                "name": page.name,
                "path": path,
                "signed_in": page.signed_in,
                "key": page.key,
                "headers": dict(page.headers),
            }
            if not dry_run:
                entry.update(
                    self.measure(member if page.signed_in else anonymous, page, path)
                )
            pages.append(entry)
            if verbosity > 1:
                self.stderr.write(f"  {page.name}: {path} {entry.get('status', '')}")
        document: dict[str, Any] = {
            "cookie": cookie,
            "pages": pages,
            "skipped": skipped,
        }
        if addresses is not None:
            document["kinds"] = self.kinds(addresses)
            if not dry_run and cold:
                document["cold"] = [
                    self.cold_renders(anonymous, kind, addresses / f"{kind}.txt", cold)
                    for kind in document["kinds"]
                ]
        text = json.dumps(document, indent=2)
        if output:
            output.write_text(text + "\n")
        else:
            self.stdout.write(text)

    def measure(self, client: Client, page: Page, path: str) -> dict[str, Any]:
        """Status and queries of a request with a cold cache, then a warm one."""
        headers = dict(page.headers)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path, headers=headers)
        with CaptureQueriesContext(connection) as warm:
            client.get(path, headers=headers)
        return {
            "status": response.status_code,
            "queries": len(cold.captured_queries),
            "queries_warm": len(warm.captured_queries),
        }

    def kinds(self, folder: Path) -> dict[str, int]:
        """Write each kind's addresses, one a line; how many each has."""
        folder.mkdir(parents=True, exist_ok=True)
        counts = {}
        for kind, addresses in KINDS.items():
            paths = addresses()
            if not paths or not resolvable(paths[0]):
                continue
            (folder / f"{kind}.txt").write_text("\n".join(paths) + "\n")
            counts[kind] = len(paths)
        return counts

    def cold_renders(
        self, client: Client, kind: str, path_file: Path, samples: int
    ) -> dict[str, Any]:
        """Server time of renders with an empty cache, spread over the kind's addresses."""
        paths = path_file.read_text().split()
        step = max(1, len(paths) // samples)
        chosen = paths[::step][:samples]
        client.get(paths[-1])  # compiles the templates; not counted
        seconds, statuses = [], set()
        for path in chosen:
            cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            seconds.append(time.perf_counter() - started)
            statuses.add(response.status_code)
        return {
            "name": kind,
            "p50_ms": round(percentile(seconds, 0.5) * 1000, 1),
            "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
            "samples": len(seconds),
            "statuses": sorted(statuses),
        }


def _reason(page: Page, path: str) -> str:
    if path == MISSING:
        return "its app or its data is not in this checkout yet"
    return f"{path.split('?')[0]} does not resolve in this checkout yet"
