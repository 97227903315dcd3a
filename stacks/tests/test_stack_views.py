"""The stack pages: list, page, editing and who may edit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import make_member
from stacks import services
from stacks.models import Provenance, Role, Stack, StackHistory, StackItem
from stacks.tests.factories import make_company, make_membership, make_stack
from tools.models import Tool
from tools.tests.factories import make_tool

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_no_pause_after_imports"),
]
HTMX = {"HX-Request": "true"}


# --- Stacks ------------------------------------------------------------------


def test_stack_list_budget_is_flat(client, stack, tree, django_assert_num_queries):
    url = reverse("stacks:list")
    # count, page of stacks (+company, owner), preview tools
    with django_assert_num_queries(3):
        response = client.get(url)
    assert "Main product" in response.content.decode()
    for _ in range(10):
        make_stack(tools=[make_tool(function=tree["cache"]) for _ in range(3)])
        make_stack(owner_user=make_member(), tools=[make_tool(function=tree["sql"])])
    with django_assert_num_queries(3):
        client.get(url, {"sort": "largest"})


def test_stack_list_filters_by_tool_and_industry(client, stack, tree):
    make_stack(
        company=make_company(industry="health"),
        name="Clinic app",
        tools=[make_tool(name="Redis", function=tree["cache"])],
    )
    by_tool = client.get(reverse("stacks:list"), {"tool": "postgresql"})
    assert [s.name for s in by_tool.context["page"]] == ["Main product"]
    by_industry = client.get(reverse("stacks:list"), {"industry": "health"})
    assert [s.name for s in by_industry.context["page"]] == ["Clinic app"]


def test_stack_page_groups_by_layer_and_shows_the_timeline(
    client, stack, tree, django_assert_num_queries
):
    url = stack.get_absolute_url()
    # stack with owner, items with tool path and adder, timeline
    with django_assert_num_queries(3):
        response = client.get(url)
    content = response.content.decode()
    assert "Application &amp; Data" in content
    assert "Relational Databases" in content
    assert "Added by hand" in content
    event = StackHistory.objects.get(stack=stack)
    assert f"{event.created_at:%B %Y}" in content
    for _ in range(10):
        tool = make_tool(function=tree["cache"])
        services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
        services.remove_tool_from_stack(stack=stack, tool=tool, removed_by=None)
        services.add_tool_to_stack(stack=stack, tool=make_tool(), added_by=None)
    with django_assert_num_queries(3):
        client.get(url)


def test_the_whole_history_pages_through_every_change(
    client, stack, tree, django_assert_num_queries
):
    page_url = stack.get_absolute_url()
    history_url = reverse("stacks:history", args=[stack.slug])
    assert history_url not in client.get(page_url).content.decode()
    tools = [make_tool(name=f"Cache {n:02}", function=tree["cache"]) for n in range(60)]
    for tool in tools:
        services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
    # Thirty on the stack page, which now links the rest.
    content = client.get(page_url).content.decode()
    timeline = content.split('id="timeline"')[1].split("</section>")[0]
    assert "Cache 59" in timeline
    assert "Cache 29" not in timeline
    assert f'href="{history_url}"' in timeline

    # stack with owner, count, page of events (with tool and actor)
    with django_assert_num_queries(3):
        first = client.get(history_url).content.decode()
    assert "Cache 59" in first
    assert "Cache 10" in first
    assert "Cache 09" not in first
    assert "Page 1 of 2" in first
    second = client.get(history_url, {"page": 2}).content.decode()
    assert "Cache 09" in second
    assert "PostgreSQL" in second
    for tool in tools[:20]:
        services.remove_tool_from_stack(stack=stack, tool=tool, removed_by=None)
    with django_assert_num_queries(3):
        first = client.get(history_url).content.decode()
    # A change shows at once, newest first.
    assert re.search(r"Removed\s+<a [^>]+>Cache 19</a>", first)


def test_one_day_of_history_and_a_day_that_is_not_one(client, stack, tree):
    today = timezone.now()
    make_stack(company=stack.company, name="Other", tools=[make_tool(name="Elsewhere")])
    old = make_tool(name="Memcached", function=tree["cache"])
    services.add_tool_to_stack(stack=stack, tool=old, added_by=None)
    StackHistory.objects.filter(tool=old).update(created_at=today - timedelta(days=3))
    url = reverse("stacks:history", args=[stack.slug])

    response = client.get(url, {"day": today.date().isoformat()})
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 change on" in content
    assert "PostgreSQL" in content
    assert "Memcached" not in content
    assert "Elsewhere" not in content
    earlier = client.get(url, {"day": (today - timedelta(days=3)).date().isoformat()})
    assert "Memcached" in earlier.content.decode()
    quiet = client.get(url, {"day": "2001-01-01"})
    assert "No change on that day." in quiet.content.decode()

    for typed in ["yesterday", "2026-13-45", "1" * 400]:
        refused = client.get(url, {"day": typed})
        assert refused.status_code == 400
        assert "We could not read that day" in refused.content.decode()
    assert (
        client.get(reverse("stacks:history", args=["no-such-stack"])).status_code == 404
    )


def test_stack_page_for_an_editor_costs_a_few_more(
    member_client, stack, django_assert_num_queries
):
    # session, user, stack, membership check, items, timeline
    with django_assert_num_queries(6):
        response = member_client.get(stack.get_absolute_url())
    assert 'id="tool-picker"' in response.content.decode()


def test_editor_adds_a_tool_without_a_reload(member_client, stack, tree):
    redis = make_tool(name="Redis", function=tree["cache"])
    response = member_client.post(
        reverse("stacks:add_tool", args=[stack.slug]),
        {"tool": "redis", "q": "Redis", "note": "Sessions and rate limits"},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Sessions and rate limits" in content
    assert 'hx-swap-oob="true"' in content  # the timeline, out of band
    assert Tool.objects.get(pk=redis.pk).stack_count == 1
    item = StackItem.objects.get(stack=stack, tool=redis)
    assert item.source == Provenance.MANUAL


def test_typed_name_works_without_javascript(member_client, stack, tree):
    make_tool(name="Redis", function=tree["cache"])
    response = member_client.post(
        reverse("stacks:add_tool", args=[stack.slug]), {"tool": "", "q": "redis"}
    )
    assert response.status_code == 302
    assert stack.items.filter(tool__slug="redis").exists()
    unknown = member_client.post(
        reverse("stacks:add_tool", args=[stack.slug]), {"q": "Nonexistent"}
    )
    assert unknown.status_code == 400
    assert "No tool in the catalog" in unknown.content.decode()


def test_editor_removes_a_tool_and_edits_notes(member_client, stack):
    pg = Tool.objects.get(slug="postgresql")
    note = member_client.post(
        reverse("stacks:edit_note", args=[stack.slug, "postgresql"]),
        {"note": "Our system of record"},
        headers=HTMX,
    )
    assert "Our system of record" in note.content.decode()
    removed = member_client.post(
        reverse("stacks:remove_tool", args=[stack.slug, "postgresql"]), headers=HTMX
    )
    assert "Removed PostgreSQL" in removed.content.decode()
    assert Tool.objects.get(pk=pg.pk).stack_count == 0
    assert list(
        StackHistory.objects.filter(stack=stack).values_list("action", flat=True)
    ) == ["removed", "added"]


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_strangers_and_plain_members_cannot_edit(client, stack, other_member, role):
    """A 403 on every edit endpoint, and the stack is left exactly as it was."""
    if role:
        make_membership(company=stack.company, user=other_member, role=role)
    client.force_login(other_member)
    make_tool(name="Redis")
    before = list(StackItem.objects.values_list("tool", "note"))
    posts = [
        (reverse("stacks:add_tool", args=[stack.slug]), {"tool": "redis"}),
        (reverse("stacks:remove_tool", args=[stack.slug, "postgresql"]), {}),
        (reverse("stacks:edit_note", args=[stack.slug, "postgresql"]), {"note": "x"}),
        (reverse("stacks:import_confirm", args=[stack.slug]), {"tool": ["redis"]}),
    ]
    for url, data in posts:
        assert client.post(url, data, headers=HTMX).status_code == 403
    assert client.get(reverse("stacks:import", args=[stack.slug])).status_code == 403
    assert list(StackItem.objects.values_list("tool", "note")) == before
    assert StackHistory.objects.count() == 1
    assert (
        'id="tool-picker"' not in client.get(stack.get_absolute_url()).content.decode()
    )


def test_member_creates_a_personal_stack(member_client, member):
    response = member_client.post(reverse("stacks:create"), {"name": "Homelab"})
    stack = Stack.objects.get(owner_user=member)
    assert response.url == stack.get_absolute_url()


def test_company_stack_needs_an_editor(client, acme, other_member):
    client.force_login(other_member)
    url = f"{reverse('stacks:create')}?company={acme.slug}"
    assert client.post(url, {"name": "Sneaky"}).status_code == 403
    assert not Stack.objects.exists()
