"""Fill a database with synthetic data at scale for ``make bench``.

    manage.py generate_bench_data --scale 1 --seed 1

Deterministic for a seed; COPY on PostgreSQL. Refuses a database holding
anything but bench data, and does nothing when the data there was made by
the same generators at the same scale and seed (``--force`` regenerates).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import services
from bench.generators.writer import Progress


class Command(BaseCommand):
    help = (
        "Fill the database with deterministic synthetic bench data (about 20,000 "
        "tools, 100,000 members and 1,000,000 follows and votes at --scale 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 is full size, 0.1 a tenth."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Regenerate even when the bench data here is up to date.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be written, write nothing.",
        )

    def handle(
        self,
        *args: Any,
        scale: float = 1.0,
        seed: int = 1,
        force: bool = False,
        dry_run: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        plan = services.make_plan(scale=scale, seed=seed)
        try:
            dataset = services.current_dataset()
        except services.NotBenchDataError as error:
            raise CommandError(str(error)) from error
        if services.is_fresh(dataset, plan) and not force:
            if verbosity:
                self.stdout.write(
                    f"Bench data at scale {scale:g} (seed {seed}) is up to date; nothing to do."
                )
            return
        if dry_run:
            sizes = ", ".join(f"{n:,} {name}" for name, n in plan.sizes().items())
            self.stdout.write(
                f"Dry run, nothing written. Would write at scale {scale:g}: {sizes} "
                "(companies, stack entries, decisions and comments once their apps exist)."
            )
            return
        progress = Progress(sys.stderr if verbosity else None)
        dataset = services.generate_bench_data(plan=plan, progress=progress)
        services.analyze()
        if verbosity:
            counts = ", ".join(f"{n:,} {label}" for label, n in dataset.counts.items())
            self.stdout.write(
                f"Bench data at scale {scale:g} (seed {seed}) written in "
                f"{dataset.seconds:g} s: {counts}."
            )
