"""The typo pass no longer reads each search key's tool's stacks count, so
the index that carried it for that read goes: it only slowed every change
of a tool's stacks count."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0018_stacks_count_by_id"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="tool", name="tool_stacks_by_id"),
    ]
