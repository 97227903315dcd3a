"""The stacks app's other pages: tool pages, profiles, company follows, stack renames."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member
from stacks import services
from stacks.models import Company, Stack
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_tool

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_no_pause_after_imports"),
]


# --- Other pages -------------------------------------------------------------


def test_tool_page_lists_companies_and_often_used_with(
    client, tree, django_assert_num_queries
):
    pg = make_tool(name="PostgreSQL", function=tree["sql"])
    redis = make_tool(name="Redis", function=tree["cache"])
    make_stack(company=make_company(name="Acme Rockets"), tools=[pg, redis])
    make_stack(owner_user=make_member(display_name="Solo Dev"), tools=[pg])
    services.refresh_tool_pairings()
    url = pg.get_absolute_url()
    # tool (with its standing and whether it has curated alternatives, is in
    # a stackup or in a move: none here), pros and cons, alternatives,
    # aliases, decisions, companies, members, often used with, monthly
    # stacks count
    with django_assert_num_queries(9):
        response = client.get(url)
    content = response.content.decode()
    assert "Acme Rockets" in content
    assert "Solo Dev" in content
    assert "in 2 stacks" in content
    assert f"{reverse('stacks:list')}?tool=postgresql" in content
    assert f"{reverse('stacks:company_list')}?tool=postgresql" not in content
    assert response.context["often_used_with"] == [redis]
    for i in range(10):
        make_stack(
            company=make_company(name=f"Team {i}"),
            tools=[pg, make_tool(function=tree["sql"])],
        )
        make_stack(owner_user=make_member(), tools=[pg])
    services.refresh_tool_pairings()
    with django_assert_num_queries(9):
        response = client.get(url)
    content = response.content.decode()
    assert "in 22 stacks" in content
    # Six companies shown, and a link to the others.
    assert f"{reverse('stacks:company_list')}?tool=postgresql" in content


@pytest.mark.parametrize("walk_above", [0, 1000])
def test_users_of_a_tool_are_the_same_read_either_way(tree, monkeypatch, walk_above):
    """A popular tool's users are found by walking companies and members in
    display order, a rare one's by reading its entries: the same answer."""
    from stacks.models import tool_usage as stack_models

    pg = make_tool(name="PostgreSQL", function=tree["sql"])
    for i, followers in enumerate([5, 50, 0, 20, 1, 7, 9]):
        company = make_company(name=f"Team {i}")
        Company.objects.filter(pk=company.pk).update(follower_count=followers)
        make_stack(company=company, tools=[pg])
    elsewhere = make_company(name="Elsewhere")
    Company.objects.filter(pk=elsewhere.pk).update(follower_count=99)
    make_stack(company=elsewhere)
    for name in ["Zoe", "Adam", "Mia"]:
        make_stack(owner_user=make_member(display_name=name), tools=[pg])
    make_stack(owner_user=make_member(display_name="Gone", is_active=False), tools=[pg])
    pg.refresh_from_db()
    monkeypatch.setattr(stack_models, "WALK_USERS_ABOVE", walk_above)
    users = stack_models.ToolUsers.of(pg)
    assert [c.name for c in users.companies] == [
        "Team 1",
        "Team 3",
        "Team 6",
        "Team 5",
        "Team 0",
        "Team 4",
    ]
    assert users.has_more_companies is True
    assert [m.display_name for m in users.members] == ["Adam", "Mia", "Zoe"]


def test_profile_names_the_real_company(client, db):
    rita = make_member(
        username="rita", job_title="VP of Engineering", company_name="Acme Rockets"
    )
    acme = make_company(name="Acme Rockets", owner=rita)
    make_stack(owner_user=rita, name="Homelab")
    response = client.get(rita.get_absolute_url())
    content = response.content.decode()
    assert (
        f'VP of Engineering at <a href="{acme.get_absolute_url()}">Acme Rockets</a>'
        in content
    )
    assert "Homelab" in content


def test_header_points_to_stacks(client, db):
    content = client.get("/").content.decode()
    assert f'href="{reverse("stacks:list")}"' in content


def test_company_page_lists_its_members_posts_and_posts_name_the_company(client, db):
    from decisions.tests.factories import make_decision
    from stacks.tests.factories import make_company

    author = make_member(username="lin", job_title="Head of Platform")
    company = make_company(name="Acme Rockets", owner=author)
    post = make_decision(author=author, title="Why we run Nomad")
    make_decision(title="Someone else's post")
    content = client.get(company.get_absolute_url()).content.decode()
    assert "Why we run Nomad" in content
    assert "Someone else" not in content
    assert post.author_line == "Head of Platform at Acme Rockets"
    listed = client.get("/decisions/", {"company": company.slug}).context["page"]
    assert [d.title for d in listed] == ["Why we run Nomad"]


def test_member_follows_a_company_in_place_and_counts_stay_exact(member_client, member):
    company = make_company(name="Acme Rockets")
    url = reverse("stacks:company_follow", args=[company.slug])
    response = member_client.post(url, {"state": "on"}, headers={"HX-Request": "true"})
    assert "Following" in response.content.decode()
    member_client.post(url, {"state": "on"})  # a double submit
    company.refresh_from_db()
    assert company.follower_count == 1
    page = member_client.get(company.get_absolute_url())
    assert page.context["is_following"] is True
    member_client.post(url, {"state": "off"})
    company.refresh_from_db()
    assert company.follower_count == 0


def test_anonymous_reader_is_sent_to_log_in_to_follow_a_company(client, db):
    company = make_company(name="Acme Rockets")
    response = client.post(reverse("stacks:company_follow", args=[company.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_editor_renames_and_deletes_a_stack_and_counts_follow(member_client, member):
    company = make_company(name="Acme Rockets", owner=member)
    kafka = make_tool(name="Kafka")
    stack = make_stack(company=company, name="Data", tools=[kafka])
    response = member_client.post(
        reverse("stacks:update", args=[stack.slug]),
        {"name": "Data platform", "description": "Events and reports"},
    )
    stack.refresh_from_db()
    assert response["Location"] == stack.get_absolute_url()
    assert stack.name == "Data platform"
    kafka.refresh_from_db()
    assert kafka.stack_count == 1
    member_client.post(reverse("stacks:delete", args=[stack.slug]))
    assert not Stack.objects.filter(pk=stack.pk).exists()
    kafka.refresh_from_db()
    assert kafka.stack_count == 0


def test_others_cannot_rename_or_delete_a_stack(client, other_member):
    stack = make_stack(name="Data", tools=[make_tool(name="Kafka")])
    client.force_login(other_member)
    assert (
        client.post(
            reverse("stacks:update", args=[stack.slug]), {"name": "Mine"}
        ).status_code
        == 403
    )
    assert client.post(reverse("stacks:delete", args=[stack.slug])).status_code == 403
    stack.refresh_from_db()
    assert stack.name == "Data"


def test_empty_stack_name_is_refused_and_nothing_changes(member_client, member):
    stack = make_stack(company=make_company(owner=member), name="Data")
    response = member_client.post(
        reverse("stacks:update", args=[stack.slug]), {"name": ""}
    )
    assert response.status_code == 400
    stack.refresh_from_db()
    assert stack.name == "Data"
