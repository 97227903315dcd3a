"""What a stackup page reads: a few grouped queries, however many rows.

Each function takes the compared tools (2 to 4) and answers with one or two
queries, so every tab stays within its query budget as the data grows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone

from stacks.models import AdoptionMonth
from tools.models import Alternative, ProCon, ProConKind, Tool, ToolFollow

TOP_PROCONS = 5
ALTERNATIVES_EACH = 6
GROWTH_MONTHS = 12


@dataclass
class ToolProCons:
    tool: Tool
    pros: list[ProCon]
    cons: list[ProCon]


def top_procons(tools: list[Tool], *, limit: int = TOP_PROCONS) -> list[ToolProCons]:
    """The most voted visible pros and cons of each tool, in one query."""
    grouped: dict[tuple[int, str], list[ProCon]] = defaultdict(list)
    for procon in ProCon.objects.visible().filter(tool__in=tools).top_per_kind(limit):
        grouped[procon.tool_id, procon.kind].append(procon)
    return [
        ToolProCons(
            tool=tool,
            pros=grouped[tool.pk, ProConKind.PRO],
            cons=grouped[tool.pk, ProConKind.CON],
        )
        for tool in tools
    ]


@dataclass
class ToolAlternatives:
    tool: Tool
    alternatives: list[Tool]
    curated: bool


def alternatives(
    tools: list[Tool], *, limit: int = ALTERNATIVES_EACH
) -> list[ToolAlternatives]:
    """Each tool's alternatives, leaving out the tools compared, in two queries.

    Curated alternatives first; a tool nobody curated falls back to the most
    used tools of its function, as on the tool page.
    """
    compared = [tool.pk for tool in tools]
    curated: dict[int, list[Tool]] = defaultdict(list)
    links = (
        Alternative.objects.filter(tool__in=compared, alternative__status="approved")
        .exclude(alternative__in=compared)
        .select_related("alternative__function__parent__parent")
        .order_by("tool_id", "position", "pk")
    )
    for link in links:
        if len(curated[link.tool_id]) < limit:
            curated[link.tool_id].append(link.alternative)

    uncurated = {tool.function_id for tool in tools if not curated[tool.pk]}
    by_function: dict[int, list[Tool]] = defaultdict(list)
    if uncurated:
        for tool in (
            Tool.objects.approved()
            .filter(function__in=uncurated)
            .exclude(pk__in=compared)
            .with_category_path()
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("function_id")],
                    order_by=[
                        F("is_deprecated").asc(),
                        F("stack_count").desc(),
                        F("follower_count").desc(),
                        F("name").asc(),
                    ],
                )
            )
            .filter(rank__lte=limit)
            .order_by("function_id", "rank")
        ):
            by_function[tool.function_id].append(tool)
    return [
        ToolAlternatives(
            tool=tool,
            alternatives=curated[tool.pk] or by_function[tool.function_id],
            curated=bool(curated[tool.pk]),
        )
        for tool in tools
    ]


@dataclass
class Growth:
    """Followers and stacks at the end of each of the last months, oldest first."""

    tool: Tool
    months: list[date]
    followers: list[int]
    stacks: list[int]


def growth(tools: list[Tool], *, months: int = GROWTH_MONTHS) -> list[Growth]:
    """Month-end followers and stacks of each tool over the last months, in two queries.

    Both are walked back from today's counts: followers by taking off the
    follows made after each month (an unfollow removes its row, so the line
    is the history of today's followers), stacks by taking off each later
    addition to a stack and putting back each later removal. Only the
    window's rows are read: a popular tool has tens of thousands of
    follows (30 ms for four of them at scale 1 when all were counted).
    """
    axis = _month_starts(timezone.localdate(), months)
    since = timezone.make_aware(datetime.combine(axis[0], datetime.min.time()))
    followed: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        ToolFollow.objects.filter(tool__in=tools, created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("tool_id", "month")
        # COUNT(*): the index on (tool, created_at) answers it alone.
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in rows:
        followed[row["tool_id"]][_as_date(row["month"])] += row["n"]
    net: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    changes = AdoptionMonth.objects.filter(
        tool__in=tools, month__gte=axis[0]
    ).values_list("tool_id", "month", "added", "removed")
    for tool_id, month, added_stacks, removed_stacks in changes:
        net[tool_id][month] += added_stacks - removed_stacks
    return [
        Growth(
            tool=tool,
            months=axis,
            followers=_walked_back(tool.follower_count, followed[tool.pk], axis),
            stacks=_walked_back(tool.stack_count, net[tool.pk], axis),
        )
        for tool in tools
    ]


def _walked_back(now: int, change: dict[date, int], axis: list[date]) -> list[int]:
    """The count at the end of each month of ``axis``, oldest first, from
    today's count and each month's net change."""
    counts = []
    for month in reversed(axis):
        counts.append(max(now, 0))
        now -= change.get(month, 0)
    return counts[::-1]


def _as_date(month: object) -> date:
    return month.date() if hasattr(month, "date") else month  # type: ignore[return-value]  # a date, or a datetime truncated to one by the database


def _month_starts(today: date, months: int) -> list[date]:
    """The first day of each of the last ``months`` months, this one last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]
