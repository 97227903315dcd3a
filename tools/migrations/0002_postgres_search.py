"""PostgreSQL search: pg_trgm, a trigger that keeps ``search_vector`` current, indexes.

Name weighs more than tagline, tagline more than description. On SQLite
this migration does nothing; search there uses plain matching.
"""

from __future__ import annotations

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION tools_tool_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.tagline, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER tools_tool_search_vector
    BEFORE INSERT OR UPDATE OF name, tagline, description ON tools_tool
    FOR EACH ROW EXECUTE FUNCTION tools_tool_search_vector_update();

UPDATE tools_tool SET name = name;

CREATE INDEX tools_tool_search_vector_gin ON tools_tool USING gin (search_vector);
CREATE INDEX tools_tool_name_trgm ON tools_tool USING gin (name gin_trgm_ops);
CREATE INDEX tools_alias_name_trgm ON tools_alias USING gin (name gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS tools_alias_name_trgm;
DROP INDEX IF EXISTS tools_tool_name_trgm;
DROP INDEX IF EXISTS tools_tool_search_vector_gin;
DROP TRIGGER IF EXISTS tools_tool_search_vector ON tools_tool;
DROP FUNCTION IF EXISTS tools_tool_search_vector_update();
"""


def run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("tools", "0001_initial")]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD), run_on_postgresql(BACKWARD)),
    ]
