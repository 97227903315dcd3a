"""PostgreSQL: the member names' trigram indexes keep their pending lists
short, as the tools' do (tools 0020): members join, and a row rewritten
where its page has no room adds its trigrams again; every search of
members read the pending ones whole.

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = ["user_username_upper_trgm", "user_display_name_upper_trgm"]

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
    dependencies = [("accounts", "0009_name_trigram_indexes")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
