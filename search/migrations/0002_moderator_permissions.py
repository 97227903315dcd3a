"""Let the Moderators group read what searches found nothing, and clear rows
the catalog now answers."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "search.view_zeroresultquery",
    "search.delete_zeroresultquery",
]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_zero_result_queries"),
        ("accounts", "0007_moderation_delete_and_dismiss"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
