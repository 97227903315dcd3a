"""Drop ``search_vector``: search ranks from its own keys (``tools.search``)
and nothing has read the column since. Its trigger still rebuilt it on every
edit, its GIN index grew with every tool, and every tool row read carried it.

The trigram indexes of migration 0002 stay; search uses them.
"""

from __future__ import annotations

from django.db import migrations

DROP = """
DROP INDEX IF EXISTS tools_tool_search_vector_gin;
DROP TRIGGER IF EXISTS tools_tool_search_vector ON tools_tool;
DROP FUNCTION IF EXISTS tools_tool_search_vector_update();
"""

RECREATE = """
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
"""


def run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("tools", "0012_catalog_indexes")]

    operations = [
        migrations.RunPython(run_on_postgresql(DROP), run_on_postgresql(RECREATE)),
        migrations.RemoveField(model_name="tool", name="search_vector"),
    ]
