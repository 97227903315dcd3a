"""The typo pass reads each search key's tool's stacks count (and status)
off an index of the tools' ids that carries both."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0017_typo_band_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["id"],
                include=("status", "stack_count"),
                name="tool_stacks_by_id",
            ),
        ),
    ]
