"""The "Moderators" group, kept in step by data migrations.

Each app that gives moderators work grants the group its permissions in a
data migration of its own, calling `grant_moderator_permissions`.

Moderators look after content and members. Accounts, permissions, secrets
and the machinery behind the site stay with superusers, so the group may
never hold a permission of those apps (see `is_forbidden`).
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MODERATORS_GROUP = "Moderators"

# Apps whose permissions would let a moderator reach beyond moderation:
# groups and permissions (auth), e-mail addresses and social logins with
# their secrets (account, socialaccount, mfa), the admin's own log,
# sessions, content types and the task queue.
FORBIDDEN_APP_LABELS = frozenset(
    {
        "account",
        "admin",
        "auth",
        "contenttypes",
        "django_tasks_database",
        "mfa",
        "sessions",
        "socialaccount",
        "usersessions",
    }
)
# Creating accounts sets a password; deleting one is beyond a suspension.
FORBIDDEN_PERMISSIONS = frozenset({"accounts.add_user", "accounts.delete_user"})


def is_forbidden(permission: str) -> bool:
    """Whether the Moderators group must never hold this "app_label.codename"."""
    app_label = permission.split(".", 1)[0]
    return app_label in FORBIDDEN_APP_LABELS or permission in FORBIDDEN_PERMISSIONS


def grant_moderator_permissions(
    apps: Apps, schema_editor: BaseDatabaseSchemaEditor, *, permissions: list[str]
) -> None:
    """Give the Moderators group these "app_label.codename" permissions.

    Permissions are normally created after all migrations have run, so on a
    fresh database they are created here first. Never pass a forbidden
    permission: the accounts migration `0006_moderators_least_privilege`
    took the early ones back, and the admin permission tests fail on any.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True  # type: ignore[assignment]  # Django checks it only for truth
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    for permission in permissions:
        app_label, codename = permission.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke_forbidden_permissions(
    apps: Apps, schema_editor: BaseDatabaseSchemaEditor
) -> None:
    """Take every forbidden permission away from the Moderators group.

    Covers those granted by earlier migrations and any added by hand in the
    back office.
    """
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=MODERATORS_GROUP).first()
    if group is None:
        return
    held = group.permissions.select_related("content_type")
    group.permissions.remove(
        *[
            permission
            for permission in held
            if is_forbidden(
                f"{permission.content_type.app_label}.{permission.codename}"
            )
        ]
    )
