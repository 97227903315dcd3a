"""Rebuild the "often used with" table from the current stacks, and once
a month has begun, the recent sums the category pages rank movers by.

Run it on a schedule (hourly is plenty); tool and stackup pages read the
table, never the stack entries themselves. Until a new month's recent sums
are written, category pages add up the months themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from stacks.services import (
    recount_stale_recent_adoption,
    recount_tool_stack_counts,
    refresh_tool_pairings,
)


class Command(BaseCommand):
    help = "Rebuild the tool co-usage table, repair drifted stack counts, sum a new month's movers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="compute, then roll back"
        )

    def handle(
        self, *args: Any, dry_run: bool = False, verbosity: int = 1, **options: Any
    ) -> None:
        with transaction.atomic():
            pairs = refresh_tool_pairings()
            repaired = recount_tool_stack_counts()
            if dry_run:
                transaction.set_rollback(True)
        # Its own transactions, a few hundred tools each: writers of those
        # tools wait for one of them at most.
        recounted = 0 if dry_run else recount_stale_recent_adoption()
        if verbosity:
            verb = "Would store" if dry_run else "Stored"
            self.stdout.write(
                f"{verb} {pairs} tool pairs; {repaired} stack counts repaired; "
                f"{recounted} tools' recent months summed again."
            )
