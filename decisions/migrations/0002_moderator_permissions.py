"""Let the Moderators group work the report queue and hide or restore posts and comments."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "decisions.view_decision",
    "decisions.change_decision",
    "decisions.view_decisiontool",
    "decisions.view_comment",
    "decisions.change_comment",
    "decisions.view_report",
    "decisions.change_report",
]


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
        ("accounts", "0004_user_is_suspended"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
