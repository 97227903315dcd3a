from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import make_member
from changes.models import Move
from changes.services import rebuild_moves
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
)
from stacks.signals import stack_history_many_recorded
from stacks.tests.factories import make_company, make_membership, make_stack
from tools import services as tool_services
from tools.models import Tool
from tools.tests.factories import make_category, make_tool

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


def test_import_is_all_or_nothing(member):
    """If any step of an import fails, none of it is kept and counts are untouched."""
    good, other = make_tool(name="Good"), make_tool(name="Other")
    stack = make_stack(owner_user=member)

    def failing(**kwargs):
        raise RuntimeError("database went away")

    stack_history_many_recorded.connect(failing, sender=StackHistory)
    try:
        with pytest.raises(RuntimeError):
            services.import_into_stack(
                stack=stack,
                tools=[(good, "package.json"), (other, "package.json")],
                added_by=member,
                origin="upload",
            )
    finally:
        stack_history_many_recorded.disconnect(failing, sender=StackHistory)
    assert not StackItem.objects.filter(stack=stack).exists()
    assert not StackHistory.objects.filter(stack=stack).exists()
    assert counts(good, other) == [0, 0]
    assert Stack.objects.get(pk=stack.pk).item_count == 0


def import_tools(stack, tools, member):
    return services.import_into_stack(
        stack=stack,
        tools=[(tool, "requirements.txt") for tool in tools],
        added_by=member,
        origin="upload",
    )


def test_import_adds_what_is_new_with_history_counters_and_evidence(member):
    """Each new entry as ``add_tool_to_stack`` would add it; present ones untouched."""
    company = make_company(owner=member)
    stack = make_stack(company=company)
    django, celery, redis = (make_tool(name=n) for n in ("Django", "Celery", "Redis"))
    services.add_tool_to_stack(stack=stack, tool=redis, added_by=member)
    added = import_tools(stack, [django, celery, redis, django], member)
    assert sorted(item.tool.slug for item in added) == ["celery", "django"]
    assert all(item.pk for item in added)
    assert counts(django, celery, redis) == [1, 1, 1]
    assert Stack.objects.get(pk=stack.pk).item_count == 3
    assert Company.objects.get(pk=company.pk).tool_count == 3
    item = StackItem.objects.get(stack=stack, tool=django)
    assert (item.source, item.detected_file, item.detected_from) == (
        Provenance.DETECTED,
        "requirements.txt",
        "upload",
    )
    assert sorted(
        StackHistory.objects.filter(
            stack=stack, source=Provenance.DETECTED
        ).values_list("tool_name", "action", "actor")
    ) == [
        ("Celery", HistoryAction.ADDED, member.pk),
        ("Django", HistoryAction.ADDED, member.pk),
    ]
    assert import_tools(stack, [django, celery], member) == []
    assert counts(django, celery) == [1, 1]


def test_import_takes_the_same_few_queries_for_5_or_50_tools(member):
    tools = [make_tool(name=f"Library {n}") for n in range(55)]
    queries = []
    for batch in (tools[:5], tools[5:]):
        stack = make_stack(company=make_company(owner=member))
        with CaptureQueriesContext(connection) as captured:
            assert len(import_tools(stack, batch, member)) == len(batch)
        queries.append(len(captured))
    assert queries[0] == queries[1]
    # Thirteen statements (one adds to the monthly sums, four sum the tools'
    # recent months again) and three savepoints (with their releases).
    assert queries[1] <= 19


def test_import_derives_the_same_moves_as_adding_one_by_one(member):
    """The changes app's moves stay exact through a bulk import."""
    queues = make_category(name="Message queues")
    rabbit, kafka, sqs = (
        make_tool(name=n, function=queues) for n in ("RabbitMQ", "Kafka", "SQS")
    )
    redis = make_tool(name="Redis")
    stacks = []
    for one_by_one in (True, False):
        stack = make_stack(tools=[rabbit])
        services.remove_tool_from_stack(stack=stack, tool=rabbit, removed_by=None)
        if one_by_one:
            for tool in (kafka, sqs, redis):
                services.add_tool_to_stack(
                    stack=stack,
                    tool=tool,
                    added_by=member,
                    detection=services.Detection(file="f", origin="upload"),
                )
        else:
            import_tools(stack, [kafka, sqs, redis], member)
        stacks.append(stack)
    moves = [
        sorted(Move.objects.filter(stack=stack).values_list("from_tool", "to_tool"))
        for stack in stacks
    ]
    assert moves[0] == moves[1] == [(rabbit.pk, kafka.pk), (rabbit.pk, sqs.pk)]
    assert rebuild_moves(stack_ids=[stacks[1].pk], dry_run=True).is_exact


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
    assert Company.objects.get(pk=both.company.pk).tool_count == 1


def test_pairings_count_shared_stacks():
    django, postgres, redis, react = (
        make_tool(name=n) for n in ["Django", "Postgres", "Redis", "React"]
    )
    make_stack(tools=[django, postgres, redis])
    make_stack(tools=[django, postgres])
    make_stack(tools=[react])
    assert services.refresh_tool_pairings() == 6
    assert ToolPairing.objects.get(tool=django, other=postgres).stack_count == 2
    # together: set by often_used_with(), which django-stubs cannot follow.
    assert [
        (t.name, t.together)  # type: ignore[attr-defined]  # set on the instance by often_used_with()
        for t in ToolPairing.objects.often_used_with([django])
    ] == [
        ("Postgres", 2),
        ("Redis", 1),
    ]
    assert [
        t.name for t in ToolPairing.objects.often_used_with([django, postgres])
    ] == ["Redis"]


def test_recount_repairs_drifted_counts():
    tool = make_tool()
    make_stack(tools=[tool])
    Tool.objects.filter(pk=tool.pk).update(stack_count=7)
    assert services.recount_tool_stack_counts() == 1
    assert counts(tool) == [1]


def test_deleting_a_company_gives_counts_back():
    tool = make_tool()
    stack = make_stack(tools=[tool])
    assert stack.company is not None
    services.delete_company(company=stack.company)
    assert counts(tool) == [0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_count_once(at_once):
    """Four requests adding the same tool at once leave one entry and a count of 1."""
    tool = make_tool()
    stack = make_stack(owner_user=make_member())

    def add():
        services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)

    assert not at_once(add, add, add, add)
    assert StackItem.objects.filter(stack=stack, tool=tool).count() == 1
    assert counts(tool) == [1]
    assert StackHistory.objects.filter(stack=stack).count() == 1


def test_an_import_racing_another_add_falls_back_to_one_by_one(member, monkeypatch):
    """Another request added one of the tools after they were read: the
    bulk insert fails on the unique constraint (simulated here, as the
    other request's row would be committed elsewhere), and each tool is
    added on its own, one already there being a no-op."""
    django, celery = make_tool(name="Django"), make_tool(name="Celery")
    stack = make_stack(owner_user=member)

    def racing_bulk_create(items, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(StackItem.objects, "bulk_create", racing_bulk_create)
    services.add_tool_to_stack(stack=stack, tool=django, added_by=None)
    added = import_tools(stack, [django, celery], member)
    assert [item.tool for item in added] == [celery]
    assert counts(django, celery) == [1, 1]
    assert Stack.objects.get(pk=stack.pk).item_count == 2
    assert StackHistory.objects.filter(stack=stack).count() == 2
    assert StackItem.objects.get(stack=stack, tool=celery).source == Provenance.DETECTED
