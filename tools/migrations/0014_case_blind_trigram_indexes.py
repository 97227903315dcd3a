"""PostgreSQL: trigram indexes that the text searches can use.

Django asks ``name__icontains`` as ``UPPER(name::text) LIKE UPPER('%x%')``,
which an index on the column itself never serves, so the trigram indexes
of migrations 0002 and 0006 answered nothing: search's text tier read
every tool (230 ms for "mongo" at 20,000 tools) while every write of a
name, tagline or description kept 61 MB of them current. These are built
on the expressions Django asks (3 ms). The alias names' one goes too:
aliases are found through the search keys.

On SQLite this migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

FORWARD = """
DROP INDEX IF EXISTS tools_tool_name_trgm;
DROP INDEX IF EXISTS tools_tool_tagline_trgm;
DROP INDEX IF EXISTS tools_tool_description_trgm;
DROP INDEX IF EXISTS tools_alias_name_trgm;
CREATE INDEX tool_name_upper_trgm ON tools_tool USING gin (UPPER(name::text) gin_trgm_ops);
CREATE INDEX tool_tagline_upper_trgm ON tools_tool USING gin (UPPER(tagline::text) gin_trgm_ops);
CREATE INDEX tool_description_upper_trgm ON tools_tool USING gin (UPPER(description) gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS tool_name_upper_trgm;
DROP INDEX IF EXISTS tool_tagline_upper_trgm;
DROP INDEX IF EXISTS tool_description_upper_trgm;
CREATE INDEX tools_tool_name_trgm ON tools_tool USING gin (name gin_trgm_ops);
CREATE INDEX tools_tool_tagline_trgm ON tools_tool USING gin (tagline gin_trgm_ops);
CREATE INDEX tools_tool_description_trgm ON tools_tool USING gin (description gin_trgm_ops);
CREATE INDEX tools_alias_name_trgm ON tools_alias USING gin (name gin_trgm_ops);
"""


def run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("tools", "0013_drop_search_vector")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
