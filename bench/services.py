"""Generating the bench data set: refuse real data, skip when fresh, write, mark."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from bench.generators import SIZES, BenchContext, code_hash, generators
from bench.generators.writer import Progress, RowWriter
from bench.models import BenchDataset
from tools.models import Category, Tool


class NotBenchDataError(Exception):
    """The database holds rows that generate_bench_data did not write."""


@dataclass(frozen=True)
class Plan:
    scale: float
    seed: int
    code_hash: str

    def sizes(self) -> dict[str, int]:
        return {name: round(n * self.scale) for name, n in SIZES.items()}


def current_dataset() -> BenchDataset | None:
    """The marker row, after checking that nothing but bench data is here."""
    dataset = BenchDataset.objects.order_by("pk").first()
    if dataset is None:
        found = {
            "members": User.objects.count(),
            "tools": Tool.objects.count(),
            "categories": Category.objects.count(),
        }
        if any(found.values()):
            listed = ", ".join(f"{n:,} {kind}" for kind, n in found.items() if n)
            raise NotBenchDataError(
                f"This database holds data that is not bench data ({listed}). "
                "generate_bench_data only fills an empty database or one it "
                "filled itself; point DATABASE_URL at a fresh one."
            )
    return dataset


def is_fresh(dataset: BenchDataset | None, plan: Plan) -> bool:
    return (
        dataset is not None
        and dataset.scale == plan.scale
        and dataset.seed == plan.seed
        and dataset.code_hash == plan.code_hash
    )


def make_plan(*, scale: float, seed: int) -> Plan:
    return Plan(scale=scale, seed=seed, code_hash=code_hash())


@transaction.atomic
def generate_bench_data(*, plan: Plan, progress: Progress) -> BenchDataset:
    """Empty the bench tables, run every generator, and write the marker.

    One transaction: a failed run leaves the database as it was.
    """
    started = time.monotonic()
    current_dataset()  # refuses real data, even when called directly
    _empty_bench_tables()
    writer = RowWriter(progress)
    context = BenchContext(
        scale=plan.scale,
        seed=plan.seed,
        # Ids and contents repeat exactly for a seed; times are offsets from
        # the start of the day of generation, so "trending" and the growth
        # charts (last 30 days, last 12 months) stay meaningful.
        now=timezone.now().replace(hour=0, minute=0, second=0, microsecond=0),
        writer=writer,
    )
    for generator in generators():
        generator.run(context)
    writer.reset_sequences()
    return BenchDataset.objects.create(
        scale=plan.scale,
        seed=plan.seed,
        code_hash=plan.code_hash,
        generated_at=timezone.now(),
        seconds=round(time.monotonic() - started, 1),
        counts=writer.counts,
    )


def _empty_bench_tables() -> None:
    """Empty every table the generators fill (and the marker), ids from 1 again."""
    tables = [BenchDataset._meta.db_table, "django_session"]
    for generator in generators():
        for model in generator.model_classes():
            tables.append(model._meta.db_table)
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through is not None and through._meta.auto_created:
                    tables.append(through._meta.db_table)
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign key checks still
            # pending in this transaction (a regeneration right after a run).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze() -> None:
    """Settle the tables after a bulk load (PostgreSQL): the planner's
    statistics and, outside a transaction, the visibility map that
    index-only scans read. Otherwise autovacuum does it during the first
    measurements: cold renders taken right after a regeneration were up to
    1.6 times those taken once the tables had settled."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            )
