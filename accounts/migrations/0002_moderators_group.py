"""Create the Moderators group with what moderators need from accounts."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "accounts.view_user",
    "accounts.change_user",  # suspend (deactivate) and correct profiles
    "account.view_emailaddress",
    "admin.view_logentry",
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
