"""A tool reads its standing in its own query (``select_related("standing")``):
the reverse accessor only, no change to the table."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0011_tool_standing"),
        ("tools", "0018_stacks_count_by_id"),
    ]

    operations = [
        migrations.AlterField(
            model_name="toolstanding",
            name="tool",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="standing",
                serialize=False,
                to="tools.tool",
            ),
        ),
    ]
