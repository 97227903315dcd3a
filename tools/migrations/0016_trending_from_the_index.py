"""Trending counts the recent follows from the index of follows by date alone:
it now carries the tool."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0015_catalog_sort_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="toolfollow",
            name="toolfollow_created",
        ),
        migrations.AddIndex(
            model_name="toolfollow",
            index=models.Index(
                fields=["created_at"], include=("tool",), name="toolfollow_created"
            ),
        ),
    ]
