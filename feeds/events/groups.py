"""Reading a source's rows older than a position, and reading them as lines
of the feed: one thing's events on one day are one line, whole on one page.

A grouped line sits where its newest event does. A page first finds its
groups (a walk down the newest events), then reads the events of the lines
that made the page, the first few of each and their number
(``read_lines``): a stack's import of 200 tools is one line, not ten pages
of twenty events, and a page reads at most ``SHOWN_IN_A_LINE`` events of
each of its lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Expression, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate

from feeds.events.items import FeedItem, Position

# The events a line shows; it counts the others ("28 more changes").
SHOWN_IN_A_LINE = 12
# The walk for a page's groups reads as many events as the page wants lines,
# then four times more each time, up to a batch of LARGEST_BATCH: most
# lines are one event, and an import of hundreds of tools is walked through
# in a few batches. WALKS_AT_MOST bounds a page's walk.
LARGEST_BATCH = 800
WALKS_AT_MOST = 10

Group = tuple[Any, date]


def _older(kind: str, before: Position) -> Q:
    if kind < before.kind:
        return Q(created_at__lte=before.at)
    if kind == before.kind:
        return Q(created_at__lt=before.at) | Q(created_at=before.at, pk__lt=before.key)
    return Q(created_at__lt=before.at)


def older_than[Rows: QuerySet[Any]](
    queryset: Rows, kind: str, before: Position | None
) -> Rows:
    """Rows of one source that come after ``before`` in feed order."""
    return queryset if before is None else queryset.filter(_older(kind, before))


@dataclass
class Unread:
    """What a grouped line reads once it makes the page: its source's rows,
    its group, and how its reason is told from its newest event."""

    rows: QuerySet[Any]
    by: str
    group: Group
    reason: Callable[[Any], str]


def grouped_items(
    rows: QuerySet[Any],
    kind: str,
    before: Position | None,
    limit: int,
    *,
    by: str,
    reason: Callable[[Any], str],
) -> list[FeedItem]:
    """The next ``limit`` lines of ``rows`` after ``before``: the groups of
    rows sharing ``by`` on one day, placed where their newest row is, their
    events still unread (see ``read_lines``)."""
    return [
        FeedItem(
            kind=kind,
            at=place.at,
            key=place.key,
            rows=[],
            unread=Unread(rows=rows, by=by, group=group, reason=reason),
        )
        for group, place in _groups_after(rows, kind, before, limit, by)
    ]


def _groups_after(
    rows: QuerySet[Any], kind: str, before: Position | None, limit: int, by: str
) -> list[tuple[Group, Position]]:
    """The groups whose newest row comes next after ``before``, newest first.

    A walk down the rows below ``before`` meets each group first at its
    newest row, unless the group also has rows above ``before``: it was
    shown whole on an earlier page, and is passed over. Only a group of the
    day ``before`` is in can be one of those (a group is one day's rows),
    so only those are looked up above it."""
    found: dict[Group, Position] = {}
    passed: set[Group] = set()
    position, size = before, limit
    for _ in range(WALKS_AT_MOST):
        batch = list(
            older_than(rows, kind, position)
            .order_by("-created_at", "-pk")
            .values_list(by, "created_at", "pk")[:size]
        )
        met: dict[Group, Position] = {}
        for value, at, pk in batch:
            group = (value, _utc_day(at))
            if group not in found and group not in passed and group not in met:
                met[group] = Position(at, kind, pk)
        if before is not None:
            passed |= _shown_above(rows, kind, before, list(met), by)
        found.update(
            (group, place) for group, place in met.items() if group not in passed
        )
        if len(found) >= limit or len(batch) < size:
            break
        _, at, pk = batch[-1]
        position, size = Position(at, kind, pk), min(size * 4, LARGEST_BATCH)
    return list(found.items())[:limit]


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _day(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _in_groups(groups: list[Group], by: str) -> Q:
    condition = Q()
    for value, day in groups:
        start, end = _day(day)
        condition |= Q(**{by: value}, created_at__gte=start, created_at__lt=end)
    return condition


def _shown_above(
    rows: QuerySet[Any], kind: str, before: Position, groups: list[Group], by: str
) -> set[Group]:
    """Those of the groups with rows above ``before``, shown on an earlier page."""
    day = _utc_day(before.at)
    values = [value for value, group_day in groups if group_day == day]
    if not values:
        return set()
    _, end = _day(day)
    above = rows.exclude(_older(kind, before)).filter(
        **{f"{by}__in": values}, created_at__lt=end
    )
    return {(value, day) for value in above.values_list(by, flat=True).distinct()}


def read_lines(items: list[FeedItem]) -> list[FeedItem]:
    """The page's lines with the events of its grouped ones read: their
    newest ``SHOWN_IN_A_LINE`` each and their number, in one query per
    source. A line whose events went since it was placed leaves the page."""
    by_source: dict[int, list[FeedItem]] = defaultdict(list)
    for item in items:
        if item.unread is not None:
            by_source[id(item.unread.rows)].append(item)
    for lines in by_source.values():
        unread = [line.unread for line in lines if line.unread is not None]
        source = unread[0]
        found = _newest_rows(source.rows, [u.group for u in unread], source.by)
        for line, wanted in zip(lines, unread, strict=True):
            line.rows = rows = found.get(wanted.group, [])
            if rows:
                line.total = rows[0].in_group
                line.reason = wanted.reason(rows[0])
            line.unread = None
    return [item for item in items if item.rows]


def _newest_rows(
    rows: QuerySet[Any], groups: list[Group], by: str
) -> dict[Group, list[Any]]:
    one_group: list[Expression | F] = [F(by), TruncDate("created_at")]
    ranked = (
        rows.filter(_in_groups(groups, by))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=one_group,
                order_by=[F("created_at").desc(), F("pk").desc()],
            ),
            in_group=Window(Count("pk"), partition_by=one_group),
        )
        .filter(rank__lte=SHOWN_IN_A_LINE)
        .order_by("-created_at", "-pk")
    )
    found: dict[Group, list[Any]] = defaultdict(list)
    for row in ranked:
        found[(getattr(row, by), _utc_day(row.created_at))].append(row)
    return found
