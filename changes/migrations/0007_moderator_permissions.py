"""Let the Moderators group read the changes app's rows and correct what
members wrote: declared moves, radar entries, decision records' texts.
Moves are derived and drafts private to their company: nothing more."""

from __future__ import annotations

from functools import partial

from django.db import migrations

from accounts.moderators import grant_moderator_permissions

PERMISSIONS = [
    "changes.view_move",
    "changes.view_decisionmove",
    "changes.delete_decisionmove",
    "changes.view_radarentry",
    "changes.change_radarentry",
    "changes.view_decisionrecord",
    "changes.change_decisionrecord",
]


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0006_remove_ringchange"),
        ("accounts", "0003_moderation_event"),
    ]

    operations = [
        migrations.RunPython(
            partial(grant_moderator_permissions, permissions=PERMISSIONS),
            migrations.RunPython.noop,
        ),
    ]
