"""The Moderators group holds exactly the permissions the migrations grant."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts.moderators import is_forbidden, revoke_forbidden_permissions
from accounts.tests.admin_roles import migrated_moderator_permissions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("moderators_group", "_task_queue"),
]


MODERATOR_PERMISSIONS = {
    "accounts.view_user",
    "accounts.change_user",
    "accounts.view_moderationevent",
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
    "tools.view_synonym",
    "tools.view_unknownpackage",
    "tools.change_unknownpackage",
    "tools.add_synonym",
    "tools.change_synonym",
    "tools.delete_synonym",
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
    "stackups.view_stackup",
    "stackups.change_stackup",
    "decisions.view_decision",
    "decisions.change_decision",
    "decisions.view_decisiontool",
    "decisions.view_comment",
    "decisions.change_comment",
    "decisions.view_report",
    "decisions.change_report",
    "search.view_zeroresultquery",
    "search.delete_zeroresultquery",
    "changes.view_move",
    "changes.view_decisionmove",
    "changes.delete_decisionmove",
    "changes.view_radarentry",
    "changes.change_radarentry",
    "changes.view_decisionrecord",
    "changes.change_decisionrecord",
}


def _held(group: Group) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


def testmoderators_group_holds_exactly_these_permissions(moderators_group):
    """A new grant shows up here; none reaches accounts, secrets or the queue."""
    assert _held(moderators_group) == MODERATOR_PERMISSIONS
    assert migrated_moderator_permissions() == MODERATOR_PERMISSIONS
    assert not [p for p in MODERATOR_PERMISSIONS if is_forbidden(p)]


def test_revoking_takes_back_forbidden_permissions_only(moderators_group):
    """The least-privilege migration strips what the group must never hold,
    whoever granted it."""
    moderators_group.permissions.add(
        Permission.objects.get(codename="change_group"),
        Permission.objects.get(codename="view_emailaddress"),
        Permission.objects.get(codename="view_socialtoken"),
        Permission.objects.get(codename="delete_user"),
    )
    revoke_forbidden_permissions(apps, None)  # type: ignore[arg-type]  # the function never touches the schema editor
    assert _held(moderators_group) == MODERATOR_PERMISSIONS
