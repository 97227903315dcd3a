"""The monthly sums of the stacks' history stay equal to the history itself,
whatever writes it: additions, removals, imports, deletions (on cascade
too) and merges."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import make_member
from changes.trends import adoption_movers, adoption_trend
from stacks import services
from stacks.models import AdoptionMonth
from stacks.services.adoption import rebuild_adoption
from stacks.tests.factories import make_company, make_stack
from tools import services as tool_services
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


def sums() -> set[tuple[int, str, int, int]]:
    """The non-zero rows, as the services kept them."""
    return {
        (row.tool_id, f"{row.month:%Y-%m}", row.added, row.removed)
        for row in AdoptionMonth.objects.all()
        if row.added or row.removed
    }


def recounted() -> set[tuple[int, str, int, int]]:
    """The same rows summed again from the whole history."""
    rebuild_adoption()
    return sums()


def months_ago(months: int) -> datetime:
    now = timezone.now()
    year, month = now.year, now.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return now.replace(year=year, month=month, day=10)


def test_additions_removals_and_imports_are_summed_as_the_history_holds_them():
    member = make_member()
    flask, redis, celery = (
        make_tool(name="Flask"),
        make_tool(name="Redis"),
        make_tool(name="Celery"),
    )
    stack = make_stack(owner_user=member)
    services.add_tool_to_stack(
        stack=stack, tool=flask, added_by=member, when=months_ago(3)
    )
    services.remove_tool_from_stack(
        stack=stack, tool=flask, removed_by=member, when=months_ago(1)
    )
    services.add_tool_to_stack(stack=stack, tool=flask, added_by=member)
    services.import_into_stack(
        stack=stack,
        tools=[(redis, "requirements.txt"), (celery, "requirements.txt")],
        added_by=member,
        origin="upload",
    )
    kept = sums()
    assert (flask.pk, f"{months_ago(3):%Y-%m}", 1, 0) in kept
    assert (flask.pk, f"{months_ago(1):%Y-%m}", 0, 1) in kept
    assert (redis.pk, f"{timezone.now():%Y-%m}", 1, 0) in kept
    assert kept == recounted()


def test_a_deleted_stack_leaves_the_sums_on_every_path_that_deletes_it():
    owner = make_member()
    flask = make_tool(name="Flask")
    company = make_company(owner=owner)
    company_stack = make_stack(company=company, tools=[flask])
    member_stack = make_stack(owner_user=make_member(), tools=[flask])
    own = make_stack(owner_user=owner, tools=[flask])
    assert sum(row.added for row in AdoptionMonth.objects.filter(tool=flask)) == 3

    services.delete_stack(stack=own)
    assert sum(row.added for row in AdoptionMonth.objects.filter(tool=flask)) == 2
    # A deleted member takes their stack with them (a cascade, not a service).
    member_stack.owner_user.delete()
    assert sum(row.added for row in AdoptionMonth.objects.filter(tool=flask)) == 1
    flask.refresh_from_db()
    assert flask.stack_count == 1
    services.delete_company(company=company)
    assert not company_stack.__class__.objects.filter(pk=company_stack.pk).exists()
    assert sum(row.added for row in AdoptionMonth.objects.filter(tool=flask)) == 0
    assert sums() == recounted() == set()


def test_a_merged_tools_sums_become_its_targets():
    member = make_member()
    source, target = make_tool(name="Postgres"), make_tool(name="PostgreSQL")
    make_stack(owner_user=member, tools=[source])
    make_stack(owner_user=make_member(), tools=[target])
    source_id = source.pk
    tool_services.merge_tools(
        source=source, target=target, actor=make_member(moderator=True)
    )
    assert not AdoptionMonth.objects.filter(tool_id=source_id).exists()
    assert sum(row.added for row in AdoptionMonth.objects.filter(tool=target)) == 2
    assert sums() == recounted()


def test_trend_and_movers_read_the_sums():
    layer = make_category(name="Data", level=1)
    group = make_category(name="Databases", parent=layer)
    function = make_category(name="Relational", parent=group)
    rising, falling = (
        make_tool(name="Rising DB", function=function),
        make_tool(name="Old DB", function=function),
    )
    stacks = [make_stack(owner_user=make_member()) for _ in range(3)]
    for stack in stacks:
        services.add_tool_to_stack(
            stack=stack, tool=falling, added_by=None, when=months_ago(12)
        )
    for stack in stacks[:2]:
        services.add_tool_to_stack(
            stack=stack, tool=rising, added_by=None, when=months_ago(2)
        )
        services.remove_tool_from_stack(
            stack=stack, tool=falling, removed_by=None, when=months_ago(1)
        )

    trend = adoption_trend(falling)
    assert (trend.first.stacks, trend.peak, trend.last.stacks) == (0, 3, 1)
    assert adoption_trend(rising).last.stacks == 2
    movers = adoption_movers(layer)
    assert [(m.name, m.net) for m in movers.rising] == [("Rising DB", 2)]
    assert [(m.name, m.net, m.removed) for m in movers.declining] == [("Old DB", -2, 2)]


def test_movers_with_equal_changes_are_ordered_by_name():
    layer = make_category(name="Tools", level=1)
    group = make_category(name="Build", parent=layer)
    function = make_category(name="Bundlers", parent=group)
    names = ["Webpack", "Vite", "Rollup", "Parcel", "Esbuild", "Bun", "Turbopack"]
    stack = make_stack(owner_user=make_member())
    for name in names:
        tool = make_tool(name=name, function=function)
        services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
    big = make_tool(name="Zeta", function=function)
    for other in [stack, make_stack(owner_user=make_member())]:
        services.add_tool_to_stack(stack=other, tool=big, added_by=None)

    rising = adoption_movers(layer, limit=5).rising
    assert [(m.name, m.net) for m in rising] == [
        ("Zeta", 2),
        ("Bun", 1),
        ("Esbuild", 1),
        ("Parcel", 1),
        ("Rollup", 1),
    ]
