"""The monthly sums of the stacks' history stay equal to the history itself,
whatever writes it: additions, removals, imports, deletions (on cascade
too) and merges."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import make_member
from changes.trends import adoption_movers, adoption_trend
from stacks import services
from stacks.models import AdoptionMonth, RecentAdoption
from stacks.services.adoption import (
    rebuild_adoption,
    rebuild_recent_adoption,
    recent_since,
)
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


# --- Each tool's recent months (RecentAdoption) ---------------------------------


def recent() -> list[tuple[int, int, date, int, int, int]]:
    """Each tool's recent sums under each node, as the writes kept them."""
    return sorted(
        RecentAdoption.objects.values_list(
            "category_id", "tool_id", "since", "added", "removed", "net"
        )
    )


def assert_recent_exact() -> None:
    """The rows the writes kept are the rows summed again from scratch."""
    kept = recent()
    rebuild_recent_adoption()
    assert kept == recent()


@pytest.fixture
def catalog():
    layer = make_category(name="Data", level=1)
    other_layer = make_category(name="Platform", level=1)
    group = make_category(name="Databases", parent=layer)
    function = make_category(name="Relational", parent=group)
    elsewhere = make_category(
        name="Queues", parent=make_category(name="Messaging", parent=other_layer)
    )
    return {
        "layer": layer,
        "group": group,
        "function": function,
        "elsewhere": elsewhere,
    }


def test_recent_sums_stay_exact_through_every_kind_of_write(catalog):
    member = make_member()
    postgres, mysql, old = (
        make_tool(name=name, function=catalog["function"])
        for name in ("PostgreSQL", "MySQL", "Old SQL")
    )
    stack = make_stack(owner_user=member, tools=[postgres, mysql])
    other = make_stack(owner_user=make_member(), tools=[postgres])
    # Outside the six months: in no recent sum.
    services.add_tool_to_stack(stack=other, tool=old, added_by=None, when=months_ago(9))
    assert {row[1] for row in recent()} == {postgres.pk, mysql.pk}
    # Once under its function, its category and its layer.
    assert [(row[0], row[5]) for row in recent() if row[1] == postgres.pk] == sorted(
        [
            (catalog["function"].pk, 2),
            (catalog["group"].pk, 2),
            (catalog["layer"].pk, 2),
        ]
    )
    assert_recent_exact()

    services.remove_tool_from_stack(stack=stack, tool=mysql, removed_by=member)
    assert_recent_exact()
    other.delete()
    assert_recent_exact()

    # Moved in the catalog: by a moderator's edit, then with its category.
    mysql.function = catalog["elsewhere"]
    mysql.save()
    assert_recent_exact()
    catalog["group"].parent = catalog["elsewhere"].parent.parent
    catalog["group"].save()
    assert {row[0] for row in recent() if row[1] == postgres.pk} == {
        catalog["function"].pk,
        catalog["group"].pk,
        catalog["elsewhere"].parent.parent.pk,
    }
    assert_recent_exact()

    tool_services.merge_tools(
        source=mysql, target=postgres, actor=make_member(moderator=True)
    )
    assert_recent_exact()


def test_movers_read_the_recent_sums_as_the_months_would_give_them(catalog):
    names = ["Webpack", "Vite", "Rollup", "Parcel", "Esbuild", "Bun", "Zeta"]
    tools = [make_tool(name=name, function=catalog["function"]) for name in names]
    stacks = [make_stack(owner_user=make_member()) for _ in range(3)]
    # Webpack and Vite were added long ago and leave now; the rest arrive.
    for n, tool in enumerate(tools):
        for stack in stacks[: 1 + n % 3]:
            when = months_ago(9) if n < 2 else timezone.now()
            services.add_tool_to_stack(stack=stack, tool=tool, added_by=None, when=when)
    for tool in tools[:2]:
        for stack in stacks[:2]:
            services.remove_tool_from_stack(stack=stack, tool=tool, removed_by=None)
    # Not approved: never a mover, however used.
    pending = make_tool(name="Pending", function=catalog["function"], status="pending")
    for stack in stacks:
        services.add_tool_to_stack(stack=stack, tool=pending, added_by=None)

    with CaptureQueriesContext(connection) as read:
        movers = adoption_movers(catalog["layer"], limit=3)
    assert not any("adoptionmonth" in query["sql"] for query in read.captured_queries)
    assert [(m.name, m.net) for m in movers.rising] == [
        ("Bun", 3),
        ("Rollup", 3),
        ("Esbuild", 2),
    ]
    assert [(m.name, m.net) for m in movers.declining] == [
        ("Vite", -2),
        ("Webpack", -1),
    ]
    # Summed from the months instead (a month has begun), the same.
    RecentAdoption.objects.update(since=months_ago(12).date().replace(day=1))
    with CaptureQueriesContext(connection) as read:
        assert adoption_movers(catalog["layer"], limit=3) == movers
    assert any("adoptionmonth" in query["sql"] for query in read.captured_queries)


def test_a_month_later_the_recent_sums_are_summed_again(catalog):
    tool = make_tool(name="PostgreSQL", function=catalog["function"])
    make_stack(owner_user=make_member(), tools=[tool])
    # As a month's turn leaves them: summed from the month the window began.
    RecentAdoption.objects.update(since=months_ago(7).date().replace(day=1))
    assert not RecentAdoption.objects.filter(category=catalog["layer"]).is_current(
        recent_since()
    )
    call_command("refresh_tool_pairings", stdout=StringIO())
    assert RecentAdoption.objects.filter(category=catalog["layer"]).is_current(
        recent_since()
    )
    assert_recent_exact()
    assert [m.name for m in adoption_movers(catalog["layer"]).rising] == ["PostgreSQL"]


@pytest.mark.django_db(transaction=True)
def test_writers_of_one_tool_at_once_keep_its_recent_sums_exact(catalog, at_once):
    """Members add a tool to their stacks while others delete stacks that
    listed it months ago, all at the same instant: each writer sums the
    tool after the ones before it, so the last sum holds every change."""
    tool = make_tool(name="Kafka", function=catalog["function"])
    older = [make_stack(owner_user=make_member()) for _ in range(3)]
    for stack in older:
        services.add_tool_to_stack(
            stack=stack, tool=tool, added_by=None, when=months_ago(2)
        )
    newer = [make_stack(owner_user=make_member()) for _ in range(6)]
    assert not at_once(
        *(partial(services.delete_stack, stack=stack) for stack in older),
        *(
            partial(services.add_tool_to_stack, stack=stack, tool=tool, added_by=None)
            for stack in newer
        ),
    )
    assert {row[5] for row in recent()} == {len(newer)}
    assert_recent_exact()


@pytest.mark.django_db(transaction=True)
def test_a_tool_moved_outside_a_transaction_is_summed_under_its_new_place(catalog):
    """A save with no transaction around it (a script, a shell) still locks
    the tool it sums, in a transaction of its own."""
    tool = make_tool(name="PostgreSQL", function=catalog["function"])
    make_stack(owner_user=make_member(), tools=[tool])
    tool.function = catalog["elsewhere"]
    tool.save()
    assert catalog["elsewhere"].pk in {row[0] for row in recent()}
    assert_recent_exact()
