"""Take back from the Moderators group what moderation does not need.

Migration 0002 granted `account.view_emailaddress` (every member's and every
staff account's addresses) and `admin.view_logentry`; any permission over
groups, permissions, e-mail addresses, social logins, sessions or the task
queue added since, by hand or otherwise, goes too.
"""

from __future__ import annotations

from django.db import migrations

from accounts.moderators import revoke_forbidden_permissions


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_member_follows_and_mutes"),
    ]

    operations = [
        # Going back does not hand the permissions out again: they were
        # never needed, and a rollback should not reopen the hole.
        migrations.RunPython(revoke_forbidden_permissions, migrations.RunPython.noop),
    ]
