from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from api.opendata import published_dumps, write_open_data
from api.tasks import EXPORT_EVERY, schedule_export


class Command(BaseCommand):
    help = "Write a new open data dump (JSON Lines, CSV, datapackage.json, licence) for /data/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead, queue the daily export task unless it is queued already "
            "(safe at every deploy; needs the database task queue and db_worker).",
        )

    def handle(self, *args: Any, schedule: bool = False, **options: Any) -> None:
        if schedule:
            # A site with no dump yet gets its first one at once.
            delay = EXPORT_EVERY if published_dumps() else timedelta(0)
            if not schedule_export(delay=delay):
                self.stderr.write(
                    "This task back end cannot queue work for later: enqueue "
                    "api.tasks.export_open_data from a scheduler instead."
                )
                return
            hours = int(EXPORT_EVERY.total_seconds() // 3600)
            self.stdout.write(f"The open data export is queued (every {hours} hours).")
            return
        path = write_open_data()
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
