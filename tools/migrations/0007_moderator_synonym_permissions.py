"""Let the Moderators group edit the synonyms search knows tools by."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "tools.view_synonym",
    "tools.add_synonym",
    "tools.change_synonym",
    "tools.delete_synonym",
]


class Migration(migrations.Migration):
    dependencies = [
        ("tools", "0006_synonyms_and_search_keys"),
        ("accounts", "0007_moderation_delete_and_dismiss"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
