from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.tests.factories import make_member
from stacks import services
from stacks.models import (
    Company,
    CompanyMembership,
    HistoryAction,
    Provenance,
    Role,
    Stack,
    StackHistory,
    StackItem,
    ToolPairing,
    often_used_with,
)
from stacks.tests.factories import make_company, make_membership, make_stack
from tools import services as tool_services
from tools.models import Tool
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


def counts(*tools: Tool) -> list[int]:
    return [Tool.objects.get(pk=tool.pk).stack_count for tool in tools]


def test_creator_becomes_owner(member):
    company = services.create_company(name="Acme Rockets", created_by=member)
    assert company.slug == "acme-rockets"
    membership = CompanyMembership.objects.get(company=company)
    assert (membership.user, membership.role) == (member, Role.OWNER)
    again = services.create_company(name="Acme Rockets", created_by=member)
    assert again.slug == "acme-rockets-2"


def test_stack_count_counts_distinct_stacks_and_follows_removals(member):
    """Adding twice counts once; removing brings the count back; history keeps both."""
    flask, redis = make_tool(name="Flask"), make_tool(name="Redis")
    company = make_company(owner=member)
    main = make_stack(company=company, name="Main")
    data = make_stack(company=company, name="Data")
    services.add_tool_to_stack(stack=main, tool=flask, added_by=member)
    services.add_tool_to_stack(stack=main, tool=flask, added_by=member)
    services.add_tool_to_stack(stack=data, tool=flask, added_by=member)
    services.add_tool_to_stack(stack=data, tool=redis, added_by=member)
    assert counts(flask, redis) == [2, 1]
    assert Stack.objects.get(pk=data.pk).item_count == 2
    assert Company.objects.get(pk=company.pk).tool_count == 2

    assert services.remove_tool_from_stack(stack=main, tool=flask, removed_by=member)
    assert not services.remove_tool_from_stack(
        stack=main, tool=flask, removed_by=member
    )
    assert counts(flask, redis) == [1, 1]
    assert Stack.objects.get(pk=main.pk).item_count == 0
    assert list(
        StackHistory.objects.filter(stack=main)
        .order_by("pk")
        .values_list("action", "tool_name", "actor")
    ) == [
        (HistoryAction.ADDED, "Flask", member.pk),
        (HistoryAction.REMOVED, "Flask", member.pk),
    ]


def test_detected_entries_say_where_they_came_from(member):
    tool = make_tool()
    stack = make_stack(owner_user=member)
    item, created = services.add_tool_to_stack(
        stack=stack,
        tool=tool,
        added_by=member,
        detection=services.Detection(file="api/requirements.txt", origin="upload"),
    )
    assert created
    assert item.source == Provenance.DETECTED
    assert item.detected_file == "api/requirements.txt"
    assert item.detected_at is not None


def test_import_is_all_or_nothing(member, monkeypatch):
    """If one entry fails, none of the import is kept and counts are untouched."""
    good, bad = make_tool(name="Good"), make_tool(name="Bad")
    stack = make_stack(owner_user=member)
    real_add = services.add_tool_to_stack

    def failing_add(*, tool, **kwargs):
        if tool == bad:
            raise RuntimeError("database went away")
        return real_add(tool=tool, **kwargs)

    monkeypatch.setattr(services, "add_tool_to_stack", failing_add)
    with pytest.raises(RuntimeError):
        services.import_into_stack(
            stack=stack,
            tools=[(good, "package.json"), (bad, "package.json")],
            added_by=member,
            origin="upload",
        )
    assert not StackItem.objects.filter(stack=stack).exists()
    assert not StackHistory.objects.filter(stack=stack).exists()
    assert counts(good) == [0]


def test_last_owner_cannot_leave_or_step_down(member, other_member):
    company = make_company(owner=member)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.remove_company_member(company=company, user=member)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.set_company_role(company=company, user=member, role=Role.EDITOR)
    make_membership(company=company, user=other_member, role=Role.OWNER)
    services.set_company_role(company=company, user=member, role=Role.EDITOR)
    assert CompanyMembership.objects.get(user=member).role == Role.EDITOR
    with pytest.raises(ValidationError, match="at least one owner"):
        services.remove_company_member(company=company, user=other_member)


def test_adding_a_member_twice_is_refused(member, other_member):
    company = make_company(owner=member)
    make_membership(company=company, user=other_member)
    with pytest.raises(ValidationError, match="already belongs"):
        make_membership(company=company, user=other_member)


def test_merge_moves_entries_without_duplicates(member, moderator):
    """Stacks with both tools keep one entry; counts are recounted."""
    source, target = make_tool(name="Postgres"), make_tool(name="PostgreSQL")
    both = make_stack(tools=[source, target])
    only_source = make_stack(tools=[source])
    make_stack(tools=[target])
    tool_services.merge_tools(source=source, target=target, actor=moderator)
    assert list(both.items.values_list("tool", flat=True)) == [target.pk]
    assert list(only_source.items.values_list("tool", flat=True)) == [target.pk]
    assert counts(target) == [3]
    assert Stack.objects.get(pk=both.pk).item_count == 1
    assert both.company.__class__.objects.get(pk=both.company_id).tool_count == 1


def test_pairings_count_shared_stacks():
    django, postgres, redis, react = (
        make_tool(name=n) for n in ["Django", "Postgres", "Redis", "React"]
    )
    make_stack(tools=[django, postgres, redis])
    make_stack(tools=[django, postgres])
    make_stack(tools=[react])
    assert services.refresh_tool_pairings() == 6
    assert ToolPairing.objects.get(tool=django, other=postgres).stack_count == 2
    assert [(t.name, t.together) for t in often_used_with([django])] == [
        ("Postgres", 2),
        ("Redis", 1),
    ]
    assert [t.name for t in often_used_with([django, postgres])] == ["Redis"]


def test_recount_repairs_drifted_counts():
    tool = make_tool()
    make_stack(tools=[tool])
    Tool.objects.filter(pk=tool.pk).update(stack_count=7)
    assert services.recount_tool_stack_counts() == 1
    assert counts(tool) == [1]


def test_deleting_a_company_gives_counts_back():
    tool = make_tool()
    stack = make_stack(tools=[tool])
    services.delete_company(company=stack.company)
    assert counts(tool) == [0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_count_once():
    """Two requests adding the same tool at once leave one entry and a count of 1."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    tool = make_tool()
    stack = make_stack(owner_user=make_member())
    barrier = threading.Barrier(4)

    def add():
        barrier.wait()
        try:
            services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert StackItem.objects.filter(stack=stack, tool=tool).count() == 1
    assert counts(tool) == [1]
    assert StackHistory.objects.filter(stack=stack).count() == 1
