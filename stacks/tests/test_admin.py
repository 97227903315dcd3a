from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import make_member, sign_in_with_mfa
from stacks.models import CompanyMembership, Role, Stack, ToolPairing, rank_of
from stacks.tests.factories import make_company, make_membership, make_stack
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
    """Django's "Delete selected", after its confirmation page, deletes
    through the service: the tool's stack count follows."""
    tool = make_tool()
    stack = make_stack(tools=[tool])
    sign_in_with_mfa(client, staff)
    changelist = reverse("admin:stacks_stack_changelist")
    selected = {"action": "delete_selected", "_selected_action": [stack.pk]}
    confirm = client.post(changelist, selected)
    assert confirm.status_code == 200
    assert Stack.objects.exists()
    client.post(changelist, {**selected, "post": "yes"})
    assert not Stack.objects.exists()
    assert Tool.objects.get(pk=tool.pk).stack_count == 0


def test_a_member_deleted_in_the_back_office_gives_their_stacks_counts_back(
    client, staff
):
    """Their own stacks go with them (a cascade): each tool is in one stack
    fewer, as after the stack service's delete."""
    tool, kept = make_tool(), make_tool()
    leaving = make_member()
    make_stack(owner_user=leaving, tools=[tool, kept])
    make_stack(owner_user=make_member(), tools=[kept])
    sign_in_with_mfa(client, staff)
    client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"}
    )
    assert not Stack.objects.filter(owner_user_id=leaving.pk).exists()
    assert Tool.objects.get(pk=tool.pk).stack_count == 0
    assert Tool.objects.get(pk=kept.pk).stack_count == 1


def test_admin_deletes_companies_and_entries_through_the_services(client, staff):
    tool, other = make_tool(), make_tool()
    company = make_company(name="Acme", owner=make_member())
    make_stack(company=company, tools=[tool])
    kept = make_stack(tools=[other])
    sign_in_with_mfa(client, staff)
    client.post(
        reverse("admin:stacks_stackitem_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [kept.items.get().pk],
            "post": "yes",
        },
    )
    client.post(
        reverse("admin:stacks_company_changelist"),
        {"action": "delete_selected", "_selected_action": [company.pk], "post": "yes"},
    )
    assert list(Stack.objects.all()) == [kept]
    assert not kept.items.exists()
    assert kept.history.filter(action="removed").exists()
    assert Tool.objects.get(pk=tool.pk).stack_count == 0
    assert Tool.objects.get(pk=other.pk).stack_count == 0


def test_refresh_command(db):
    a, b = make_tool(), make_tool()
    make_stack(tools=[a, b])
    out = StringIO()
    call_command("refresh_tool_pairings", stdout=out)
    assert "Stored 2 tool pairs" in out.getvalue()
    assert ToolPairing.objects.count() == 2
    call_command("refresh_tool_pairings", dry_run=True, stdout=StringIO())
    assert ToolPairing.objects.count() == 2


# Memberships go through the services, so a company keeps an owner --------


def owner_and_company():
    owner = make_member(username="olu")
    company = make_company(name="Acme", owner=owner)
    return owner, company, CompanyMembership.objects.get(company=company, user=owner)


def inline_data(company, membership, **row):
    """The company page's form as the browser posts it, with one membership row."""
    data = {
        "name": company.name,
        "slug": company.slug,
        "industry": company.industry,
        "size": company.size,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-company": str(company.pk),
        "memberships-0-user": str(membership.user_id),
        "memberships-0-role": membership.role,
    }
    data.update({f"memberships-0-{key}": value for key, value in row.items()})
    return data


def test_back_office_cannot_demote_or_remove_a_companys_only_owner(client, staff):
    """On the membership pages and on the company's own page, the last owner
    stays an owner and stays a member, with the reason shown."""
    owner, company, membership = owner_and_company()
    sign_in_with_mfa(client, staff)
    change = reverse("admin:stacks_companymembership_change", args=[membership.pk])
    response = client.post(
        change, {"company": company.pk, "user": owner.pk, "role": "member"}, follow=True
    )
    assert "needs at least one owner" in response.content.decode()
    delete = reverse("admin:stacks_companymembership_delete", args=[membership.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert "needs at least one owner" in response.content.decode()
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()
    page = reverse("admin:stacks_company_change", args=[company.pk])
    client.post(page, inline_data(company, membership, role="editor"))
    client.post(page, inline_data(company, membership, DELETE="on"))
    membership.refresh_from_db()
    assert membership.role == Role.OWNER
    assert membership.role_rank == rank_of(Role.OWNER)


def test_back_office_role_changes_go_through_the_services(client, staff):
    """A second owner lets the first step down; ranks follow the roles."""
    owner, company, membership = owner_and_company()
    other = make_member(username="ines")
    second = make_membership(company=company, user=other)
    sign_in_with_mfa(client, staff)
    page = reverse("admin:stacks_company_change", args=[company.pk])
    client.post(page, inline_data(company, second, role="owner"))
    second.refresh_from_db()
    assert (second.role, second.role_rank) == (Role.OWNER, rank_of(Role.OWNER))
    change = reverse("admin:stacks_companymembership_change", args=[membership.pk])
    client.post(change, {"company": company.pk, "user": owner.pk, "role": "member"})
    membership.refresh_from_db()
    assert (membership.role, membership.role_rank) == (
        Role.MEMBER,
        rank_of(Role.MEMBER),
    )
