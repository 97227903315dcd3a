"""The company pages: list, creation, page budget, members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member
from stacks.models import Company, CompanyMembership, Role
from stacks.tests.factories import make_company, make_membership, make_stack
from tools.tests.factories import make_tool

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_no_pause_after_imports"),
]
HTMX = {"HX-Request": "true"}


# --- Companies ---------------------------------------------------------------


def test_company_list_filters_and_stays_flat(client, tree, django_assert_num_queries):
    """The company list costs the same queries for 1 or 11 companies."""
    pg = make_tool(name="PostgreSQL", function=tree["sql"])
    make_stack(company=make_company(name="Uses PG", industry="fintech"), tools=[pg])
    make_company(name="No stacks", industry="health")
    url = reverse("stacks:company_list")
    # count, page of companies
    with django_assert_num_queries(2):
        response = client.get(url)
    assert "Uses PG" in response.content.decode()
    for _ in range(10):
        make_stack(tools=[pg])
    with django_assert_num_queries(2):
        client.get(url, {"sort": "largest"})
    # the tool, count, page
    with django_assert_num_queries(3):
        response = client.get(url, {"tool": "postgresql", "industry": "fintech"})
    assert [c.name for c in response.context["page"]] == ["Uses PG"]
    assert "Companies using PostgreSQL" in response.content.decode()
    nothing = client.get(url, {"tool": "no-such-tool"})
    assert nothing.context["page"].paginator.count == 0


def test_company_list_htmx_answers_with_the_results_only(client, db):
    make_company(name="Fragmentary")
    response = client.get(reverse("stacks:company_list"), headers=HTMX)
    content = response.content.decode()
    assert "Fragmentary" in content
    assert "<html" not in content


def test_creating_a_company_makes_you_its_owner(member_client, member):
    response = member_client.post(
        reverse("stacks:company_create"),
        {"name": "Northwind Labs", "industry": "software", "size": "1-10"},
    )
    company = Company.objects.get(name="Northwind Labs")
    assert response.url == company.get_absolute_url()
    assert CompanyMembership.objects.get(company=company).role == Role.OWNER
    assert member_client.get(response.url).status_code == 200


def test_creating_a_company_needs_a_login(client, db):
    response = client.get(reverse("stacks:company_create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_bad_company_form_is_a_400(member_client):
    response = member_client.post(reverse("stacks:company_create"), {"name": ""})
    assert response.status_code == 400
    assert not Company.objects.exists()


def test_company_page_budget_is_flat(
    client, acme, stack, tree, django_assert_num_queries
):
    """The company page shows stacks, their tools and members with job titles."""
    make_membership(
        company=acme,
        user=make_member(display_name="Rita Vance", job_title="VP of Engineering"),
    )
    from decisions.tests.factories import make_decision

    make_decision(author=acme.memberships.first().user)
    url = acme.get_absolute_url()
    # company, memberships with users, stacks, their items with tools, the
    # members' posts, the posts' tags
    with django_assert_num_queries(6):
        response = client.get(url)
    content = response.content.decode()
    assert "Rita Vance" in content
    assert "VP of Engineering" in content
    assert "PostgreSQL" in content
    for _ in range(10):
        make_membership(company=acme, user=make_member())
        make_stack(
            company=acme, tools=[make_tool(function=tree["cache"]) for _ in range(2)]
        )
        make_decision(author=acme.memberships.first().user)
    with django_assert_num_queries(6):
        client.get(url)


def test_unknown_company_and_stack_are_404(client, db):
    assert client.get("/companies/nobody/").status_code == 404
    assert client.get("/stacks/nothing/").status_code == 404


def test_owner_adds_and_removes_members(member_client, acme, other_member):
    url = reverse("stacks:company_members", args=[acme.slug])
    response = member_client.post(url, {"username": "grace", "role": "editor"})
    assert response.status_code == 302
    assert CompanyMembership.objects.get(user=other_member).role == Role.EDITOR
    again = member_client.post(url, {"username": "grace", "role": "member"})
    assert again.status_code == 400
    assert "already belongs" in again.content.decode()
    unknown = member_client.post(url, {"username": "nobody", "role": "member"})
    assert "No member is called" in unknown.content.decode()

    member_client.post(
        reverse("stacks:company_member_remove", args=[acme.slug, "grace"])
    )
    assert not CompanyMembership.objects.filter(user=other_member).exists()


def test_last_owner_cannot_be_removed(member_client, acme, member):
    response = member_client.post(
        reverse("stacks:company_member_remove", args=[acme.slug, member.username]),
        follow=True,
    )
    assert "needs at least one owner" in response.content.decode()
    assert CompanyMembership.objects.filter(user=member, role=Role.OWNER).exists()
    demote = member_client.post(
        reverse("stacks:company_member_role", args=[acme.slug, member.username]),
        {"role": "member"},
        follow=True,
    )
    assert "needs at least one owner" in demote.content.decode()
    assert CompanyMembership.objects.get(user=member).role == Role.OWNER


def test_only_owners_manage_members(client, acme, other_member):
    """Editors and strangers get a 403 and change nothing."""
    make_membership(company=acme, user=other_member, role=Role.EDITOR)
    client.force_login(other_member)
    url = reverse("stacks:company_members", args=[acme.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"username": "grace", "role": "owner"}).status_code == 403
    role_url = reverse("stacks:company_member_role", args=[acme.slug, "grace"])
    assert client.post(role_url, {"role": "owner"}).status_code == 403
    assert CompanyMembership.objects.get(user=other_member).role == Role.EDITOR
