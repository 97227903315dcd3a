"""Operations the apps' migrations share: SQL that PostgreSQL alone runs.

Migrations import these, so they stay as they are: a change here changes
what every migration that uses them did. (The earlier migrations that need
the same thing each keep their own copy of ``run_on_postgresql``, as they
were applied.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations


def run_on_postgresql(sql: str) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function running ``sql`` on PostgreSQL, nothing on SQLite."""

    def operation(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


def short_pending_lists(*indexes: str) -> migrations.RunPython:
    """Keep these GIN indexes' pending lists at 256 kB, merging what they hold
    now (tools 0020 says why and what it costs); undone, back to the default."""
    forward = "".join(
        f"ALTER INDEX {index} SET (gin_pending_list_limit = 256);"
        f"SELECT gin_clean_pending_list('{index}'::regclass);"
        for index in indexes
    )
    backward = "".join(
        f"ALTER INDEX {index} RESET (gin_pending_list_limit);" for index in indexes
    )
    return migrations.RunPython(run_on_postgresql(forward), run_on_postgresql(backward))
