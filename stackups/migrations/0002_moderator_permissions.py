"""Let the Moderators group write the stackups' editorial texts."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = ["stackups.view_stackup", "stackups.change_stackup"]


class Migration(migrations.Migration):
    dependencies = [
        ("stackups", "0001_initial"),
        ("accounts", "0003_moderation_event"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
