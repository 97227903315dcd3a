"""Let the Moderators group look after companies and stacks."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "stacks.view_company",
    "stacks.change_company",
    "stacks.view_companymembership",
    "stacks.change_companymembership",
    "stacks.view_stack",
    "stacks.change_stack",
    "stacks.view_stackitem",
    "stacks.change_stackitem",
    "stacks.view_stackhistory",
    "stacks.view_toolpairing",
]


class Migration(migrations.Migration):
    dependencies = [
        ("stacks", "0001_initial"),
        ("accounts", "0003_moderation_event"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
