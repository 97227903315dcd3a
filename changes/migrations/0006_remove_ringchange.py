"""The ring changes now live in the stacks' history (see 0005)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0005_ring_changes_into_stack_history"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="ringchange",
            name="ringchange_recent",
        ),
        migrations.RemoveConstraint(
            model_name="ringchange",
            name="ringchange_rings_valid",
        ),
        migrations.DeleteModel(
            name="RingChange",
        ),
    ]
