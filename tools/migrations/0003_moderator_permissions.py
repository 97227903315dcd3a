"""Let the Moderators group curate the catalog."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "tools.view_tool",
    "tools.change_tool",
    "tools.view_category",
    "tools.add_category",
    "tools.change_category",
    "tools.view_alias",
    "tools.add_alias",
    "tools.change_alias",
    "tools.delete_alias",
    "tools.view_alternative",
    "tools.add_alternative",
    "tools.change_alternative",
    "tools.delete_alternative",
    "tools.view_procon",
    "tools.change_procon",
    "tools.view_toolredirect",
    "accounts.view_moderationevent",
]


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0002_postgres_search"),
        ("accounts", "0003_moderation_event"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
