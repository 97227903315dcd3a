"""Synonyms, and the search keys every tool is found by (tools.search).

The keys of existing tools are written here. On PostgreSQL the keys also
get an index that serves ``LIKE 'prefix%'`` whatever the database's
collation (the plain one serves only equality there), and taglines and
descriptions trigram indexes that serve the substring matches search
makes of them (the name has one since 0002).

"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

PREFIX_INDEX = """
CREATE INDEX tools_searchkey_key_prefix ON tools_searchkey (key varchar_pattern_ops);
CREATE INDEX tools_tool_tagline_trgm ON tools_tool USING gin (tagline gin_trgm_ops);
CREATE INDEX tools_tool_description_trgm ON tools_tool USING gin (description gin_trgm_ops);
"""
DROP_PREFIX_INDEX = """
DROP INDEX IF EXISTS tools_searchkey_key_prefix;
DROP INDEX IF EXISTS tools_tool_tagline_trgm;
DROP INDEX IF EXISTS tools_tool_description_trgm;
"""


def run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def operation(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


def index_existing_tools(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tools.search import keys_for

    Tool = apps.get_model("tools", "Tool")
    Alias = apps.get_model("tools", "Alias")
    SearchKey = apps.get_model("tools", "SearchKey")
    aliases: dict[int, list[tuple[str, str]]] = {}
    rows = Alias.objects.values_list("tool_id", "ecosystem", "name")
    for tool_id, ecosystem, name in rows.iterator():
        aliases.setdefault(tool_id, []).append((ecosystem, name))
    SearchKey.objects.bulk_create(
        (
            SearchKey(tool_id=pk, key=key, kind=kind)
            for pk, name, slug in Tool.objects.values_list(
                "pk", "name", "slug"
            ).iterator()
            for key, kind in keys_for(name=name, slug=slug, aliases=aliases.get(pk, ()))
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0005_name_prefix_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="As people type it, e.g. “k8s”; compared without case, spaces or dots.",
                        max_length=100,
                        unique=True,
                    ),
                ),
                (
                    "tool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="synonyms",
                        to="tools.tool",
                    ),
                ),
            ],
            options={
                "ordering": ["term"],
            },
        ),
        migrations.CreateModel(
            name="SearchKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("key", models.CharField(max_length=200)),
                (
                    "kind",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Name"),
                            (2, "Synonym"),
                            (3, "Package name"),
                            (4, "Word of the name"),
                        ]
                    ),
                ),
                (
                    "tool",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_keys",
                        to="tools.tool",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["key"], name="searchkey_key")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tool", "key", "kind"), name="searchkey_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", [1, 2, 3, 4])),
                        name="searchkey_kind_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(index_existing_tools, migrations.RunPython.noop),
        migrations.RunPython(
            run_on_postgresql(PREFIX_INDEX), run_on_postgresql(DROP_PREFIX_INDEX)
        ),
    ]
