"""The monthly sums of the stacks' history (``AdoptionMonth``), kept exact,
and each tool's sum of its recent months (``RecentAdoption``).

Every membership event the services write is added here in the same
transaction; a deleted stack's events are taken out (``stacks.receivers``,
on any path that deletes one); a merged tool's sums move with its events.
So the sums always equal the history grouped by tool and month, which is
what ``rebuild_adoption`` computes from scratch. The recent sums of the
tools whose current months change are summed again in that transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import batched

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stacks.models import (
    MEMBERSHIP_ACTIONS,
    RECENT_MONTHS,
    AdoptionMonth,
    HistoryAction,
    RecentAdoption,
    StackHistory,
)
from tools.models import Tool

# Tools summed again per statement (and per transaction, once a month).
CHUNK = 500
# tool id, month -> (added, removed)
Sums = dict[tuple[int, date], tuple[int, int]]


def month_of(when: datetime) -> date:
    """The first day of ``when``'s month in the site's time zone, as
    ``TruncMonth`` groups the history."""
    return timezone.localtime(when).date().replace(day=1)


def count_adoption(events: Iterable[StackHistory], *, sign: int = 1) -> None:
    """Add these history events to the monthly sums (``sign=-1`` takes them
    out); events other than additions and removals are left out."""
    sums: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for event in events:
        if event.tool_id is None or event.action not in MEMBERSHIP_ACTIONS:
            continue
        column = 0 if event.action == HistoryAction.ADDED else 1
        sums[event.tool_id, month_of(event.created_at)][column] += sign
    add_to_sums({key: (added, removed) for key, (added, removed) in sums.items()})
    since = recent_since()
    recount_recent_adoption({tool_id for tool_id, month in sums if month >= since})


def add_to_sums(sums: Sums) -> None:
    """Add to the rows of these tools and months, creating missing ones.

    One statement: an upsert that adds to the row already there (PostgreSQL
    and SQLite share the syntax), so two writers counting the same month at
    once both count.
    """
    if not sums:
        return
    quote = connection.ops.quote_name
    table = quote(AdoptionMonth._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(sums))
    params = [
        value
        for (tool_id, month), (added, removed) in sums.items()
        for value in (tool_id, month, added, removed)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tool_id, month, added, removed) VALUES {values} "  # noqa: S608 - our own table name; the values are parameters
            f"ON CONFLICT (tool_id, month) DO UPDATE SET "
            f"added = {table}.added + excluded.added, "
            f"removed = {table}.removed + excluded.removed",
            params,
        )


def move_adoption(*, source_id: int, target_id: int) -> None:
    """A merged tool's sums become its target's, as its events do."""
    moved = AdoptionMonth.objects.filter(tool_id=source_id)
    add_to_sums({(target_id, row.month): (row.added, row.removed) for row in moved})
    moved.delete()
    recount_recent_adoption([source_id, target_id])


def recent_since(now: datetime | None = None) -> date:
    """The first of the ``RECENT_MONTHS`` months ``RecentAdoption`` sums."""
    month = month_of(now or timezone.now())
    first = month.year * 12 + month.month - RECENT_MONTHS
    return date(first // 12, first % 12 + 1, 1)


def recount_recent_adoption(tool_ids: Iterable[int]) -> None:
    """Sum the recent months of these tools again, from their monthly sums,
    under each node of their place in the catalog now.

    Their rows are locked first, in one order, so two writers touching a
    tool sum it one after the other, the second seeing the first's months.
    The lock is the one their stacks count's update takes: a lock for
    update also waits for the entries being added for the tool (their
    foreign key's lock), which waited for this writer's monthly sums.
    """
    since = recent_since()
    for chunk in batched(sorted(set(tool_ids)), CHUNK, strict=False):
        places = _places(
            Tool.objects.select_for_update(of=("self",), no_key=True)
            .filter(pk__in=chunk)
            .order_by("pk")
        )
        RecentAdoption.objects.filter(tool__in=chunk).delete()
        RecentAdoption.objects.bulk_create(
            _recent_rows(
                places,
                AdoptionMonth.objects.filter(tool__in=chunk, month__gte=since),
                since=since,
                model=RecentAdoption,
            )
        )


def _places(tools: QuerySet[Tool]) -> dict[int, list[int | None]]:
    """Each tool's function, that function's category and its layer."""
    return {
        pk: nodes
        for pk, *nodes in tools.values_list(
            "pk", "function_id", "function__parent_id", "function__parent__parent_id"
        )
    }


def _recent_rows(
    places: dict[int, list[int | None]],
    months: QuerySet[AdoptionMonth],
    *,
    since: date,
    model: type[RecentAdoption],
) -> Iterator[RecentAdoption]:
    """The rows of these tools' sums of ``months``, one under each node
    above each tool; none for a tool whose months hold no change."""
    sums = (
        months.order_by()
        .values("tool_id")
        .annotate(added=Sum("added"), removed=Sum("removed"))
        .values_list("tool_id", "added", "removed")
    )
    for tool_id, added, removed in sums.iterator(chunk_size=5000):
        if not (added or removed) or tool_id not in places:
            continue
        for node in places[tool_id]:
            if node is not None:
                yield model(
                    category_id=node,
                    tool_id=tool_id,
                    since=since,
                    added=added,
                    removed=removed,
                    net=added - removed,
                )


def recount_stale_recent_adoption() -> int:
    """Sum again the recent months of the tools last summed in an earlier
    month, a few hundred tools per transaction; returns how many."""
    since = recent_since()
    stale = list(
        RecentAdoption.objects.exclude(since=since)
        .values_list("tool_id", flat=True)
        .distinct()
    )
    for chunk in batched(stale, CHUNK, strict=False):
        with transaction.atomic():
            recount_recent_adoption(chunk)
    return len(stale)


def rebuild_adoption(
    *,
    history: type[StackHistory] = StackHistory,
    adoption: type[AdoptionMonth] = AdoptionMonth,
) -> int:
    """Sum the whole history again (its migration, generated data); the
    models can be a migration's. Returns the rows written."""
    adoption.objects.all().delete()
    rows = (
        history.objects.filter(action__in=MEMBERSHIP_ACTIONS, tool__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("tool_id", "month")
        .annotate(
            added=Count("pk", filter=Q(action=HistoryAction.ADDED)),
            removed=Count("pk", filter=Q(action=HistoryAction.REMOVED)),
        )
    )
    written = adoption.objects.bulk_create(
        (
            adoption(
                tool_id=row["tool_id"],
                month=_as_date(row["month"]),
                added=row["added"],
                removed=row["removed"],
            )
            for row in rows.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    return len(written)


def rebuild_recent_adoption(
    *,
    adoption: type[AdoptionMonth] = AdoptionMonth,
    recent: type[RecentAdoption] = RecentAdoption,
    tools: type[Tool] = Tool,
) -> int:
    """Sum every tool's recent months again, after ``rebuild_adoption``
    (its migration, generated data); the models can be a migration's.
    Returns the rows written."""
    since = recent_since()
    recent.objects.all().delete()
    rows = _recent_rows(
        _places(tools.objects.all()),
        adoption.objects.filter(month__gte=since),
        since=since,
        model=recent,
    )
    return len(recent.objects.bulk_create(rows, batch_size=5000))


def _as_date(month: date | datetime) -> date:
    return month.date() if isinstance(month, datetime) else month
