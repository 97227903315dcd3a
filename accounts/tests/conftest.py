"""Fixtures of the back-office permission tests (the test_admin_*.py modules that use them)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.moderators import MODERATORS_GROUP
from accounts.tests.admin_roles import migrated_moderator_permissions


@pytest.fixture
def moderators_group(db):
    """The group as the migrations leave it, even after a transactional test
    elsewhere flushed the data migrations' rows."""
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if not group.permissions.exists():
        for permission in migrated_moderator_permissions():
            app_label, codename = permission.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
    return group


@pytest.fixture
def _task_queue(settings):
    """A database queue beside the tests' immediate one, so the task results
    the admin lists belong to a back end that stores them."""
    settings.TASKS = {
        **settings.TASKS,
        "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
