"""What a tool's and a category's history says about adoption.

Counts come from the stacks' history, not from today's counters, so a
month's figure is what the site held at the end of that month. A tool's
trend reads its monthly sums (``stacks.AdoptionMonth``): one query of a few
rows, whatever the number of stacks. A category's movers read each tool's
sum of its last six months (``stacks.RecentAdoption``), the largest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from stacks.models import RECENT_MONTHS, AdoptionMonth, RecentAdoption
from tools.models import Category, Tool, ToolStatus

TREND_MONTHS = 24
MOVERS_MONTHS = RECENT_MONTHS
MOVERS_SHOWN = 5

WIDTH = 480
HEIGHT = 120
PAD_X = 8
PAD_Y = 10


def month_starts(months: int, *, now: datetime | None = None) -> list[date]:
    """The first day of each of the last ``months`` months, oldest first."""
    today = (now or timezone.now()).date()
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


@dataclass(frozen=True)
class MonthCount:
    month: date
    stacks: int
    x: float
    y: float


@dataclass(frozen=True)
class AdoptionTrend:
    """A tool's stacks count at the end of each month, with chart geometry."""

    months: list[MonthCount]
    line: str  # polyline points
    area: str  # closed path under the line
    peak: int
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def first(self) -> MonthCount:
        return self.months[0]

    @property
    def last(self) -> MonthCount:
        return self.months[-1]

    @property
    def change(self) -> int:
        return self.last.stacks - self.first.stacks

    @property
    def is_flat(self) -> bool:
        return self.peak == 0


def adoption_trend(
    tool: Tool, *, months: int = TREND_MONTHS, now: datetime | None = None
) -> AdoptionTrend:
    """The tool's stacks count month by month (one query of its monthly sums)."""
    starts = month_starts(months, now=now)
    net_by_month: dict[date, int] = {
        month: added - removed
        for month, added, removed in AdoptionMonth.objects.filter(
            tool=tool
        ).values_list("month", "added", "removed")
    }
    running = sum(n for m, n in net_by_month.items() if m < starts[0])
    counts = []
    for start in starts:
        running += net_by_month.get(start, 0)
        counts.append(max(running, 0))
    peak = max(counts, default=0)
    top = max(peak, 1)
    step = (WIDTH - 2 * PAD_X) / max(len(counts) - 1, 1)
    points = [
        MonthCount(
            month=start,
            stacks=count,
            x=round(PAD_X + i * step, 1),
            y=round(HEIGHT - PAD_Y - count / top * (HEIGHT - 2 * PAD_Y), 1),
        )
        for i, (start, count) in enumerate(zip(starts, counts, strict=True))
    ]
    base = HEIGHT - PAD_Y
    line = " ".join(f"{p.x},{p.y}" for p in points)
    area = (
        f"M{points[0].x},{base} "
        + " ".join(f"L{p.x},{p.y}" for p in points)
        + f" L{points[-1].x},{base} Z"
    )
    return AdoptionTrend(months=points, line=line, area=area, peak=peak)


@dataclass(frozen=True)
class Mover:
    slug: str
    name: str
    net: int
    added: int
    removed: int


@dataclass(frozen=True)
class Movers:
    """A category's tools that gained or lost the most stacks lately."""

    rising: list[Mover]
    declining: list[Mover]
    months: int


def adoption_movers(
    category: Category,
    *,
    months: int = MOVERS_MONTHS,
    limit: int = MOVERS_SHOWN,
    now: datetime | None = None,
) -> Movers:
    """Net adoption (stacks added minus removed) this month and the
    ``months - 1`` before it, for the approved tools of a category: their
    recent sums (``RecentAdoption``) while those are current, else their
    monthly sums added up; then the names of those shown."""
    since = month_starts(months, now=now)[0]
    recent = RecentAdoption.objects.filter(category=category)
    named: dict[int, tuple[str, str]] | None = None
    if months == RECENT_MONTHS and recent.is_current(since):
        found = _recent_sums(recent.filter(since=since), limit)
        # Which are approved is asked of the few found, with their names:
        # joined to the tools, PostgreSQL read every approved tool (4 ms).
        named = _approved_names([tool_id for tool_id, _, _ in found])
        sums = [row for row in found if row[0] in named]
    else:
        tools = Tool.objects.approved().in_category(category).values("pk")
        sums = _summed_months(since, tools)
    rising = _biggest([row for row in sums if row[1] > row[2]], limit, sign=1)
    declining = _biggest([row for row in sums if row[1] < row[2]], limit, sign=-1)
    if named is None:
        named = _approved_names([row[0] for row in [*rising, *declining]])

    def movers(rows: list[tuple[int, int, int]], sign: int) -> list[Mover]:
        found = [
            Mover(
                slug=named[pk][0],
                name=named[pk][1],
                net=added - removed,
                added=added,
                removed=removed,
            )
            for pk, added, removed in rows
        ]
        return sorted(found, key=lambda m: (-sign * m.net, m.name))[:limit]

    return Movers(
        rising=movers(rising, 1), declining=movers(declining, -1), months=months
    )


def _recent_sums(
    recent: QuerySet[RecentAdoption], limit: int
) -> list[tuple[int, int, int]]:
    """(tool id, added, removed) of the tools that can be shown, some of
    them perhaps not approved: in each direction the ``limit`` largest
    changes of approved tools and every change tied with the last of them,
    read off index recentadoption_by_net."""
    approved = recent.filter(tool__status=ToolStatus.APPROVED)

    def limit_th(changes: QuerySet[RecentAdoption], order: str, none: int) -> Coalesce:
        return Coalesce(
            Subquery(changes.order_by(order).values("net")[limit - 1 : limit]),
            Value(none),
        )

    rising = limit_th(approved.filter(net__gt=0), "-net", 1)
    declining = limit_th(approved.filter(net__lt=0), "net", -1)
    return list(
        recent.filter(Q(net__gt=0, net__gte=rising) | Q(net__lt=0, net__lte=declining))
        .order_by()
        .values_list("tool_id", "added", "removed")
    )


def _approved_names(tool_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The slug and name of each of these tools that is approved."""
    return {
        pk: (slug, name)
        for pk, slug, name in Tool.objects.approved()
        .filter(pk__in=tool_ids)
        .order_by()
        .values_list("pk", "slug", "name")
    }


def _summed_months(
    since: date, tools: QuerySet[Tool, Any]
) -> list[tuple[int, int, int]]:
    """(tool id, added, removed) of every tool with a change since
    ``since``, summed from its months: a layer's thousands of tools."""
    return list(
        AdoptionMonth.objects.filter(month__gte=since, tool__in=tools)
        .order_by()
        .values("tool_id")
        .annotate(added=Sum("added"), removed=Sum("removed"))
        .values_list("tool_id", "added", "removed")
    )


def _biggest(
    rows: list[tuple[int, int, int]], limit: int, *, sign: int
) -> list[tuple[int, int, int]]:
    """The ``limit`` rows of largest net change (``sign`` -1: most negative),
    with every row tied with the last of them, which their names order."""
    ordered = sorted(rows, key=lambda row: -sign * (row[1] - row[2]))
    if len(ordered) <= limit:
        return ordered
    last = ordered[limit - 1][1] - ordered[limit - 1][2]
    return [row for row in ordered if sign * (row[1] - row[2]) >= sign * last]
