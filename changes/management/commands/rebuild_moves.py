"""Recompute the moves between tools from the stacks' history.

The stack services keep the moves exact as history is written; this checks
them against the history and repairs any drift (after a bulk import that
bypassed the services, say). Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from changes.services import rebuild_moves


class Command(BaseCommand):
    help = "Check the moves between tools against the stacks' history and repair them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report the differences, change nothing.",
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = rebuild_moves(dry_run=dry_run)
        if options.get("verbosity", 1):
            state = (
                "exact" if report.is_exact else ("would fix" if dry_run else "fixed")
            )
            self.stdout.write(
                f"{report.total} moves in the history: {report.missing} missing, "
                f"{report.extra} extra, {report.changed} changed ({state})."
            )
