"""Prepare ``make bench``'s page list against the bench database.

    manage.py bench_pages --output bench/data/pages.json

Resolves each page's address from the data, skips (with a note) the pages
whose app is not in this checkout yet, signs the bench reader in (a real
session, for wrk's Cookie header), and counts the SQL queries of each page
in-process with Django's test client: once with an empty cache (the cost of
a miss) and once more (what a warm cache leaves).
"""

from __future__ import annotations

import json
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
from bench.pages import MISSING, PAGES, Page, resolvable

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

    def handle(
        self,
        *args: Any,
        output: Path | None = None,
        dry_run: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        reader = User.objects.filter(username=READER_USERNAME).first()
        if reader is None and not dry_run:
            raise CommandError("No bench reader here: run generate_bench_data first.")
        anonymous = Client(HTTP_HOST=HOST, raise_request_exception=False)
        member = Client(HTTP_HOST=HOST, raise_request_exception=False)
        cookie = ""
        if not dry_run:
            member.force_login(reader)
            cookie = f"{settings.SESSION_COOKIE_NAME}={member.cookies[settings.SESSION_COOKIE_NAME].value}"
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
        document = {"cookie": cookie, "pages": pages, "skipped": skipped}
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


def _reason(page: Page, path: str) -> str:
    if path == MISSING:
        return "its app or its data is not in this checkout yet"
    return f"{path.split('?')[0]} does not resolve in this checkout yet"
