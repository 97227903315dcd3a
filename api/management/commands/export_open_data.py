from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.opendata import write_open_data


class Command(BaseCommand):
    help = "Write a new open data dump (JSON Lines, CSV, datapackage.json, licence) for /data/."

    def handle(self, *args: Any, **options: Any) -> None:
        path = write_open_data()
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
