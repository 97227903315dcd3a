# Each radar entry names its stack entry's tool, so a tool's hold and trial
# counts read an index of its own entries.

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_the_tools(apps, schema_editor):
    RadarEntry = apps.get_model("changes", "RadarEntry")
    StackItem = apps.get_model("stacks", "StackItem")
    RadarEntry.objects.update(
        tool_id=Subquery(
            StackItem.objects.filter(pk=OuterRef("item_id")).values("tool_id")[:1]
        )
    )


class Migration(migrations.Migration):
    # The copy commits before the column turns NOT NULL: PostgreSQL refuses to
    # alter a table with the copy's foreign key checks still pending.
    atomic = False

    dependencies = [
        ("changes", "0008_member_drafts"),
        ("stacks", "0014_adoption_by_month"),
        ("tools", "0009_swift_package_ecosystems"),
    ]

    operations = [
        migrations.AddField(
            model_name="radarentry",
            name="tool",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tools.tool",
            ),
        ),
        migrations.RunPython(copy_the_tools, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="radarentry",
            name="tool",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tools.tool",
            ),
        ),
        migrations.AddIndex(
            model_name="radarentry",
            index=models.Index(
                fields=["tool", "ring"], include=("item",), name="radarentry_by_tool"
            ),
        ),
    ]
