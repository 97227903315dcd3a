"""The catalog sorted by votes or by GitHub stars walks an index in its order
(deprecated tools last, then by name), as the ranking order does."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0014_case_blind_trigram_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="tool",
            name="tool_status_votes",
        ),
        migrations.RemoveIndex(
            model_name="tool",
            name="tool_status_stars",
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["status", "is_deprecated", "-vote_count", "name"],
                name="tool_sorted_by_votes",
            ),
        ),
        migrations.AddIndex(
            model_name="tool",
            index=models.Index(
                fields=["status", "is_deprecated", "-github_stars", "name"],
                name="tool_sorted_by_stars",
            ),
        ),
    ]
