"""The back-office roles the admin permission tests sign in as, and how they sign in."""

from __future__ import annotations

import itertools
import sys

from django.contrib.auth.models import Permission
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from accounts.models import User
from accounts.moderators import grant_moderator_permissions, is_forbidden
from accounts.tests.factories import make_member, sign_in_with_mfa


def admin_client(client: Client, user: User) -> Client:
    """Sign this user in to the back office, second factor included.

    The one place the admin tests log in.
    """
    return sign_in_with_mfa(client, user)


# --- Roles -----------------------------------------------------------------

MODERATOR = "moderator"
STAFF = "staff"  # is_staff, no group, no permission
TRUSTED_STAFF = "trusted staff"  # is_staff holding every permission directly
SUPERUSER = "superuser"
ROLES = [MODERATOR, STAFF, TRUSTED_STAFF, SUPERUSER]

_names = itertools.count(1)


def make_role(role: str) -> User:
    username = f"{role.replace(' ', '_')}{next(_names)}"
    if role == MODERATOR:
        return make_member(username=username, moderator=True)
    if role == SUPERUSER:
        return make_member(username=username, is_staff=True, is_superuser=True)
    user = make_member(username=username, is_staff=True)
    if role == TRUSTED_STAFF:
        user.user_permissions.set(Permission.objects.all())
    return user


def migrated_moderator_permissions() -> set[str]:
    """What the data migrations leave the Moderators group holding."""
    granted: set[str] = set()
    for migration in MigrationLoader(None).disk_migrations.values():
        module = sys.modules[type(migration).__module__]
        if getattr(module, "grant_moderator_permissions", None) is (
            grant_moderator_permissions
        ):
            granted.update(module.PERMISSIONS)
    return {permission for permission in granted if not is_forbidden(permission)}
