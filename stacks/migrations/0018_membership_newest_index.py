"""The site-wide feed reads the newest additions and removals off an index
of their own, instead of sorting all of them (stacks.models.history)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stacks", "0017_short_pending_list"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="stackhistory",
            index=models.Index(
                models.OrderBy(models.F("created_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("action__in", ["added", "removed"])),
                name="stackhistory_membership_newest",
            ),
        ),
    ]
