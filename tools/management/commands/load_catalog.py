"""Load the curated catalog from tools/data/ (idempotent: a second run updates, never duplicates)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tools.catalog import CatalogError, load_catalog, read_catalog


class Command(BaseCommand):
    help = "Create or update the category tree and the curated tools from tools/data/*.toml."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and load, then roll back."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the data files; needs no environment, key or database.",
        )

    def handle(
        self,
        *args: Any,
        dry_run: bool = False,
        check: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        try:
            catalog = read_catalog()
        except CatalogError as error:
            raise CommandError(f"The catalog data has problems:\n{error}") from error
        if check:
            self.stdout.write(
                f"Catalog data is consistent: {len(catalog.tools)} tools, "
                f"{sum(map(len, catalog.synonyms.values()))} synonyms."
            )
            return
        with transaction.atomic():
            report = load_catalog(catalog)
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            prefix = "Dry run, nothing saved: " if dry_run else ""
            self.stdout.write(
                f"{prefix}{report.categories} categories, {report.tools_created} tools created, "
                f"{report.tools_updated} updated, {report.aliases} aliases, {report.alternatives} alternatives, "
                f"{report.synonyms} synonyms, {report.search_keys} search keys."
            )
