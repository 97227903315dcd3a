"""What a tool's and a category's history says about adoption.

Counts come from the stacks' history, not from today's counters, so a
month's figure is what the site held at the end of that month. They read
its monthly sums (``stacks.AdoptionMonth``): one query of a few rows per
tool, whatever the number of stacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Sum
from django.utils import timezone

from stacks.models import AdoptionMonth
from tools.models import Category, Tool

TREND_MONTHS = 24
MOVERS_MONTHS = 6
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
    ``months - 1`` before it, for the approved tools of a category (a
    grouped query of their monthly sums, then the names of those shown)."""
    # Summed by tool id alone, the names read for the few shown: a layer
    # has thousands of tools with a recent change.
    sums = list(
        AdoptionMonth.objects.filter(
            month__gte=month_starts(months, now=now)[0],
            tool__in=Tool.objects.approved().in_category(category).values("pk"),
        )
        .order_by()
        .values("tool_id")
        .annotate(added=Sum("added"), removed=Sum("removed"))
        .values_list("tool_id", "added", "removed")
    )
    rising = _biggest([row for row in sums if row[1] > row[2]], limit, sign=1)
    declining = _biggest([row for row in sums if row[1] < row[2]], limit, sign=-1)
    named = {
        pk: (slug, name)
        for pk, slug, name in Tool.objects.filter(
            pk__in=[row[0] for row in [*rising, *declining]]
        ).values_list("pk", "slug", "name")
    }

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
