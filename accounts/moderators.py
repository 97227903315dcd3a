"""The "Moderators" group, kept in step by data migrations.

Each app that gives moderators work grants the group its permissions in a
data migration of its own, calling `grant_moderator_permissions`.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MODERATORS_GROUP = "Moderators"


def grant_moderator_permissions(
    apps: Apps, schema_editor: BaseDatabaseSchemaEditor, *, permissions: list[str]
) -> None:
    """Give the Moderators group these "app_label.codename" permissions.

    Permissions are normally created after all migrations have run, so on a
    fresh database they are created here first.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True  # type: ignore[assignment]
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
