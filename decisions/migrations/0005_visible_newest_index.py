"""Visible posts newest first from a partial index of them alone, which also
counts them, of either kind, for the list's pages without reading the table."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0004_title_trigram_index"),
        ("stacks", "0016_name_trigram_index"),
        ("tools", "0016_trending_from_the_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="decision",
            name="decision_newest",
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True), ("is_hidden", False)),
                fields=["-created_at", "-id"],
                include=("kind",),
                name="decision_visible_newest",
            ),
        ),
    ]
