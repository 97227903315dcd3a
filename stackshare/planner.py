"""Fresh planner statistics for tables a bulk write has just filled."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def analyze(*models: type[Model]) -> None:
    """ANALYZE these models' tables (PostgreSQL; SQLite plans without).

    Run after a bulk load: until autovacuum gets to it, PostgreSQL plans on
    the statistics of the tables as they were, and a join planned for empty
    tables over thousands of rows takes minutes instead of milliseconds.
    Inside a transaction it counts the rows the transaction wrote.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
