"""Change over time: moves derived from the bench history, radar rings on
company stack entries, decision records with revisit dates and outcomes.

Moves are not invented: ``rebuild_moves`` derives them from the history the
stacks generator wrote (its removals and additions of tools of the same
function), as the site does. About a tenth of company stack entries get a
ring other than adopt, each with the ring change that put it there (an
event of its stack's history); a third
of decisions get a record, and most of those past their revisit date an
outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from bench.generators import BenchContext, Generator
from changes.models import (
    DecisionRecord,
    Move,
    Outcome,
    RadarEntry,
    RecordStatus,
    ToolStanding,
)
from changes.services import rebuild_moves, rebuild_standings
from decisions.models import Decision, DecisionKind
from stacks.models import HistoryAction, Provenance, Ring, StackHistory, StackItem
from stackshare.planner import analyze

RINGED_SHARE = 0.1
RECORD_SHARE = 0.33
ANSWERED_SHARE = 0.75
REASONS = [
    "Two teams run it; the rest wait for their verdict.",
    "Still running, but new work goes elsewhere.",
    "A spike is under way; nothing in production yet.",
]
OUTCOME_TEXTS = {
    Outcome.WORKED: "A year on, nobody wants to go back.",
    Outcome.MIXED: "Good for the main product, awkward for the rest.",
    Outcome.REVERTED: "We went back: more upkeep than a team our size can carry.",
}


def generate_changes(context: BenchContext) -> None:
    report = rebuild_moves()
    context.writer.counts["changes.Move"] = report.total
    _write_rings(context)
    _write_records(context)
    # Written in bulk, past the services that recount tools' standing.
    analyze(Move, RadarEntry, StackHistory, DecisionRecord)
    context.writer.counts["changes.ToolStanding"] = rebuild_standings()
    analyze(ToolStanding)


def _write_rings(context: BenchContext) -> None:
    rng = context.rng("rings")
    items = list(
        StackItem.objects.filter(stack__company__isnull=False)
        .order_by("pk")
        .values_list("pk", "stack_id", "tool_id", "tool__name", "added_at")
    )
    chosen = [item for item in items if rng.random() < RINGED_SHARE]
    rings = [Ring.TRIAL, Ring.TRIAL, Ring.ASSESS, Ring.HOLD, Ring.HOLD]
    plans = [
        (item, rng.choice(rings), rng.choice(REASONS), _after(context, rng, item[4]))
        for item in chosen
    ]

    def entries() -> Iterator[tuple[Any, ...]]:
        for (pk, _stack_id, tool_id, *_rest), ring, reason, when in plans:
            yield (pk, tool_id, ring, reason, when)

    def changes() -> Iterator[tuple[Any, ...]]:
        # Each ring change is an event of its stack's history.
        for (_pk, stack_id, tool_id, name, _added), ring, reason, when in plans:
            yield (
                stack_id,
                tool_id,
                name,
                HistoryAction.RING,
                Provenance.MANUAL,
                Ring.ADOPT,
                ring,
                reason,
                when,
            )

    context.writer.write(
        RadarEntry,
        ("item_id", "tool_id", "ring", "reason", "changed_at"),
        entries(),
        total=len(plans),
    )
    context.writer.write(
        StackHistory,
        (
            "stack_id",
            "tool_id",
            "tool_name",
            "action",
            "source",
            "ring_from",
            "ring_to",
            "reason",
            "created_at",
        ),
        changes(),
        total=len(plans),
        label="ring changes",
    )


def _after(context: BenchContext, rng: Any, moment: Any) -> Any:
    span = max((context.now - moment).total_seconds(), 1)
    return moment + timedelta(seconds=span * rng.random())


def _write_records(context: BenchContext) -> None:
    rng = context.rng("records")
    decisions = list(
        Decision.objects.filter(kind=DecisionKind.DECIDED)
        .order_by("pk")
        .values_list("pk", "created_at", "author_id")
    )
    today = context.now.date()
    outcomes = [Outcome.WORKED] * 6 + [Outcome.MIXED] * 3 + [Outcome.REVERTED]

    def rows() -> Iterator[tuple[Any, ...]]:
        for pk, created_at, author_id in decisions:
            if rng.random() >= RECORD_SHARE:
                continue
            revisit = (created_at + timedelta(days=rng.choice([90, 180, 365]))).date()
            outcome, text, at, by = "", "", None, None
            if revisit <= today and rng.random() < ANSWERED_SHARE:
                outcome = rng.choice(outcomes)
                text = OUTCOME_TEXTS[outcome]
                at = min(
                    context.now,
                    created_at + timedelta(days=(revisit - created_at.date()).days + 3),
                )
                by = author_id
            yield (
                pk,
                RecordStatus.ACCEPTED,
                "",
                "",
                revisit,
                outcome,
                text,
                at,
                by,
            )

    context.writer.write(
        DecisionRecord,
        (
            "decision_id",
            "status",
            "context",
            "consequences",
            "revisit_on",
            "outcome",
            "outcome_text",
            "outcome_at",
            "outcome_by_id",
        ),
        rows(),
        total=round(len(decisions) * RECORD_SHARE),
    )


GENERATOR = Generator(
    app_label="changes",
    name="changes",
    models=(
        "changes.Move",
        "changes.DecisionMove",
        "changes.RadarEntry",
        "changes.DecisionRecord",
        "changes.ToolStanding",
    ),
    run=generate_changes,
)
