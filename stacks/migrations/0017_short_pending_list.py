"""PostgreSQL: the company names' trigram index keeps its pending list short,
as the tools' do (tools 0020): a company's followers and tools counts are
indexed, so each change of them adds the row's trigrams again, and every
search of companies read the pending ones whole.

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = ["company_name_upper_trgm"]

FORWARD = "".join(
    f"ALTER INDEX {index} SET (gin_pending_list_limit = 256);"
    f"SELECT gin_clean_pending_list('{index}'::regclass);"
    for index in INDEXES
)

BACKWARD = "".join(
    f"ALTER INDEX {index} RESET (gin_pending_list_limit);" for index in INDEXES
)


def run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("stacks", "0016_name_trigram_index")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
