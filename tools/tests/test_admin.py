"""The tool change form in the back office: edits are moderation, on the record."""

from __future__ import annotations

import pytest
from django.forms import FileField
from django.test import Client
from django.urls import reverse

from accounts.models import ModerationAction, ModerationEvent
from accounts.tests.factories import sign_in_with_mfa
from tools.models import Tool, ToolStatus
from tools.search import search_tools
from tools.tests.factories import make_procon, make_tool

pytestmark = pytest.mark.django_db


def filled_change_form(client: Client, tool: Tool) -> dict[str, object]:
    """What the browser would post back for the change form, untouched."""
    response = client.get(reverse("admin:tools_tool_change", args=[tool.pk]))
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    data: dict[str, object] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(name): management[name].value()
            for name in management.fields
        }
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            if isinstance(field, FileField):
                continue  # an untouched upload posts nothing
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def post_change(client: Client, tool: Tool, **changes: object) -> None:
    data = filled_change_form(client, tool) | changes
    response = client.post(reverse("admin:tools_tool_change", args=[tool.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def recorded_actions(tool: Tool) -> list[str]:
    return list(
        ModerationEvent.objects.filter(target_id=tool.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def moderator_client(client: Client, moderator) -> Client:
    return sign_in_with_mfa(client, moderator)


def test_deprecating_in_the_change_form_is_recorded_as_a_deprecation(moderator_client):
    tool = make_tool(name="Grunt")
    successor = make_tool(name="Vite", function=tool.function)
    post_change(moderator_client, tool, is_deprecated="on", successor=successor.pk)
    tool.refresh_from_db()
    assert (tool.is_deprecated, tool.successor) == (True, successor)
    assert recorded_actions(tool) == [ModerationAction.DEPRECATE]


def test_approving_and_editing_in_one_save_records_both(moderator_client):
    tool = make_tool(name="Quokka DB", status=ToolStatus.PENDING)
    post_change(
        moderator_client,
        tool,
        status=ToolStatus.APPROVED,
        tagline="A small database for marsupial-sized projects",
    )
    assert recorded_actions(tool) == [ModerationAction.APPROVE, ModerationAction.EDIT]


def test_saving_without_a_change_records_nothing(moderator_client):
    tool = make_tool(name="Flask")
    post_change(moderator_client, tool)
    assert recorded_actions(tool) == []


def test_moderators_add_synonyms_that_search_finds_at_once(moderator_client):
    """A synonym saved in the back office finds its tool; one that would
    find another tool is refused with the reason."""
    kubernetes = make_tool(name="Kubernetes")
    make_tool(name="Nomad")
    add = reverse("admin:tools_synonym_add")
    response = moderator_client.post(add, {"term": "nomad", "tool": kubernetes.pk})
    assert response.status_code == 200
    assert "already finds Nomad" in response.content.decode()
    response = moderator_client.post(add, {"term": "k8s", "tool": kubernetes.pk})
    assert response.status_code == 302
    assert [tool.name for tool in search_tools("k8s")[:1]] == ["Kubernetes"]
    assert recorded_actions(kubernetes) == [ModerationAction.EDIT]


def test_alias_edits_in_the_tool_form_reach_search(moderator_client):
    tool = make_tool(name="Requests")
    data = filled_change_form(moderator_client, tool) | {
        "aliases-0-ecosystem": "pypi",
        "aliases-0-name": "requests-toolbelt",
    }
    response = moderator_client.post(
        reverse("admin:tools_tool_change", args=[tool.pk]), data
    )
    assert response.status_code == 302
    assert [t.name for t in search_tools("requests-toolbelt")[:1]] == ["Requests"]


def test_hiding_a_con_asks_for_a_reason_then_logs_it_once(moderator_client):
    con = make_procon(tool=make_tool(name="Flask"), text="Small core", kind="con")
    changelist = reverse("admin:tools_procon_changelist")
    chosen = {"action": "hide_selected", "_selected_action": [con.pk]}

    asked = moderator_client.post(changelist, chosen)
    assert b"Reason (shown to the author)" in asked.content
    con.refresh_from_db()
    assert not con.is_hidden  # nothing happens before the reason page is sent

    for _ in range(2):  # a second hide of the same con changes nothing
        moderator_client.post(
            changelist, chosen | {"confirm": "yes", "reason": "Off-topic"}
        )
    con.refresh_from_db()
    assert con.is_hidden
    assert list(
        ModerationEvent.objects.filter(target_id=con.pk).values_list("action", "reason")
    ) == [(ModerationAction.HIDE, "Off-topic")]
