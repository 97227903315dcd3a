"""Each tool's standing (``ToolStanding``): the ring and outcome counts the
tool page shows, recounted in the transaction of each write that moves them.

Recounted, not added to: a company may hold one tool in several stacks,
and a post's outcome counts only while the post is visible and chose the
tool, so a fresh count is the simple way to stay exact. It costs two
grouped queries for the tools at hand, besides locking and writing their rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from changes.models import DecisionRecord, Outcome, RadarEntry, ToolStanding
from decisions.models import DecisionTool, ToolRole
from stacks.models import Ring

_RING_COUNTS = {Ring.HOLD: "on_hold", Ring.TRIAL: "in_trial"}
_OUTCOME_COUNTS = {
    Outcome.WORKED: "worked",
    Outcome.MIXED: "mixed",
    Outcome.REVERTED: "reverted",
}


@transaction.atomic
def recount_standing(*, tool_ids: Iterable[int]) -> None:
    """Recount these tools' standing from their live radar entries and the
    outcomes of the visible posts that chose them.

    The tools' rows are made if missing and locked before anything is
    counted, in tool order: a writer moving the same tool waits until this
    transaction commits, and only then counts, so it sees what this one
    wrote and concurrent writes never leave a count behind.
    """
    ids = sorted(set(tool_ids))
    if not ids:
        return
    ToolStanding.objects.bulk_create(
        [ToolStanding(tool_id=tool_id) for tool_id in ids], ignore_conflicts=True
    )
    rows = list(
        ToolStanding.objects.select_for_update().filter(tool__in=ids).order_by("tool")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for tool_id, ring, companies in RadarEntry.objects.companies_per_ring(ids):
        counts[tool_id][_RING_COUNTS[Ring(ring)]] = companies
    for tool_id, outcome, posts in DecisionRecord.objects.outcomes_per_tool(ids):
        counts[tool_id][_OUTCOME_COUNTS[Outcome(outcome)]] = posts
    for row in rows:
        for name in ToolStanding.COUNTS:
            setattr(row, name, counts[row.tool_id].get(name, 0))
    ToolStanding.objects.bulk_update(rows, ToolStanding.COUNTS)


def chosen_tool_ids(decision_id: int) -> list[int]:
    """The tools a post chose: those whose outcome counts it."""
    return list(
        DecisionTool.objects.filter(
            decision_id=decision_id, role=ToolRole.CHOSEN
        ).values_list("tool", flat=True)
    )


def has_outcome(decision_id: int) -> bool:
    return (
        DecisionRecord.objects.filter(decision_id=decision_id)
        .exclude(outcome="")
        .exists()
    )


def rebuild_standings() -> int:
    """Recount every tool with a ring or an outcome to count, and those
    with a row: after data written past the services (the benchmark's
    generator), or to check the read model. Returns how many tools have a
    row."""
    ring_tools = RadarEntry.objects.filter(ring__in=list(_RING_COUNTS)).values_list(
        "tool", flat=True
    )
    outcome_tools = DecisionTool.objects.filter(
        role=ToolRole.CHOSEN, decision__record__outcome__in=list(_OUTCOME_COUNTS)
    ).values_list("tool", flat=True)
    ids = {
        *ring_tools,
        *outcome_tools,
        *ToolStanding.objects.values_list("tool", flat=True),
    }
    batch = sorted(ids)
    for start in range(0, len(batch), 1000):
        recount_standing(tool_ids=batch[start : start + 1000])
    return ToolStanding.objects.count()
