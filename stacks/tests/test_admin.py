from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import sign_in_with_mfa
from stacks.models import Stack, ToolPairing
from stacks.tests.factories import make_stack
from tools.models import Tool
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db

MODELS = [
    "company",
    "companymembership",
    "stack",
    "stackitem",
    "stackhistory",
    "toolpairing",
]


@pytest.mark.parametrize("model", MODELS)
def test_back_office_lists_every_model(client, staff, model):
    make_stack(tools=[make_tool()])
    sign_in_with_mfa(client, staff)
    assert client.get(reverse(f"admin:stacks_{model}_changelist")).status_code == 200


def test_moderators_may_look_after_stacks(moderator):
    assert moderator.has_perm("stacks.change_stack")
    assert moderator.has_perm("stacks.change_company")
    assert moderator.has_perm("stacks.view_stackhistory")
    assert not moderator.has_perm("stacks.delete_company")


def test_admin_deletes_stacks_through_the_service(client, staff):
    tool = make_tool()
    stack = make_stack(tools=[tool])
    sign_in_with_mfa(client, staff)
    client.post(
        reverse("admin:stacks_stack_changelist"),
        {"action": "delete_stacks", "_selected_action": [stack.pk]},
    )
    assert not Stack.objects.exists()
    assert Tool.objects.get(pk=tool.pk).stack_count == 0


def test_refresh_command(db):
    a, b = make_tool(), make_tool()
    make_stack(tools=[a, b])
    out = StringIO()
    call_command("refresh_tool_pairings", stdout=out)
    assert "Stored 2 tool pairs" in out.getvalue()
    assert ToolPairing.objects.count() == 2
    call_command("refresh_tool_pairings", dry_run=True, stdout=StringIO())
    assert ToolPairing.objects.count() == 2
