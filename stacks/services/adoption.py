"""The monthly sums of the stacks' history (``AdoptionMonth``), kept exact.

Every membership event the services write is added here in the same
transaction; a deleted stack's events are taken out (``stacks.receivers``,
on any path that deletes one); a merged tool's sums move with its events.
So the sums always equal the history grouped by tool and month, which is
what ``rebuild_adoption`` computes from scratch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from stacks.models import MEMBERSHIP_ACTIONS, AdoptionMonth, HistoryAction, StackHistory

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


def _as_date(month: date | datetime) -> date:
    return month.date() if isinstance(month, datetime) else month
