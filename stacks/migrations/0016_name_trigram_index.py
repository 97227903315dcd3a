"""PostgreSQL: a trigram index for company names, on the expression Django asks.

``name__icontains`` is ``UPPER(name::text) LIKE UPPER('%x%')``, which only an
index on that expression serves: without it, search read every company
(11 ms for "mongo" at 20,000 companies).

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX company_name_upper_trgm ON stacks_company USING gin (UPPER(name::text) gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS company_name_upper_trgm;
"""


def run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("stacks", "0015_adoption_month_by_tool_and_month")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
