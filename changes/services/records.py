"""A decision's record: the moves it declares, its ADR parts and outcome, and moderators' edits of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ModerationAction, User
from accounts.services import record_moderation
from changes.models import (
    RECORD_TEXT_MAX_LENGTH,
    DecisionMove,
    DecisionRecord,
    Outcome,
    RecordStatus,
)
from changes.services.standing import chosen_tool_ids, recount_standing
from decisions.models import Decision, decision_page_version
from stackshare.caching import bump
from tools.models import Tool


@transaction.atomic
def declare_decision_moves(
    *,
    decision: Decision,
    from_tools: Iterable[Tool],
    to_tools: Iterable[Tool],
    declared_by: User,
) -> list[DecisionMove]:
    """Mark a decision as explaining a move: every ``from`` to every ``to``.

    Replaces what the decision declared before; empty lists unmark it.
    ``declared_by`` is checked by the caller (the author or a moderator).
    """
    from_tools, to_tools = list(from_tools), list(to_tools)
    before = list(
        DecisionMove.objects.filter(decision=decision).values_list(
            "from_tool__slug", "to_tool__slug"
        )
    )
    DecisionMove.objects.filter(decision=decision).delete()
    moves = DecisionMove.objects.bulk_create(
        DecisionMove(decision=decision, from_tool=old, to_tool=new)
        for old in from_tools
        for new in to_tools
        if old.pk != new.pk
    )
    slugs = {slug for pair in before for slug in pair}
    slugs |= {tool.slug for tool in [*from_tools, *to_tools]}
    bump(tools=slugs)
    bump(decision_page_version(decision.pk))
    return moves


def _decision_pages_changed(decision: Decision, *others: Decision | None) -> None:
    """The decision's page (and those linked to it), and its tools' pages."""
    bump(
        *(decision_page_version(d.pk) for d in [decision, *others] if d is not None),
        tools=decision.tools.values_list("slug", flat=True),
    )


@transaction.atomic
def save_decision_record(
    *,
    decision: Decision,
    status: RecordStatus,
    context: str = "",
    consequences: str = "",
    revisit_on: date | None = None,
    superseded_by: Decision | None = None,
) -> DecisionRecord:
    """Set the ADR parts of a decision; naming a successor marks it superseded.

    Refuses a successor that is the decision itself or that it already
    (directly or through a chain) supersedes, so chains never loop.
    """
    if superseded_by is not None:
        if superseded_by.pk == decision.pk:
            raise ValidationError("A decision cannot supersede itself.")
        node: Decision | None = superseded_by
        seen = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            if node.pk == decision.pk:
                raise ValidationError(
                    f"“{superseded_by.title}” is already superseded by this decision."
                )
            record = DecisionRecord.objects.filter(decision=node).first()
            node = record.superseded_by if record else None
        status = RecordStatus.SUPERSEDED
    elif status == RecordStatus.SUPERSEDED:
        raise ValidationError("Name the decision that supersedes this one.")
    record, _ = DecisionRecord.objects.select_for_update().get_or_create(
        decision=decision
    )
    before = record.superseded_by
    record.status = status
    record.context = context.strip()
    record.consequences = consequences.strip()
    record.revisit_on = revisit_on
    record.superseded_by = superseded_by
    record.save()
    _decision_pages_changed(decision, before, superseded_by)
    return record


@transaction.atomic
def record_outcome(
    *, decision: Decision, outcome: Outcome, text: str, recorded_by: User
) -> DecisionRecord:
    """Say how a decision turned out; its revisit reminder is then answered.

    The caller checks that ``recorded_by`` is the author or an editor of the
    decision's company.
    """
    record, _ = DecisionRecord.objects.select_for_update().get_or_create(
        decision=decision
    )
    record.outcome = outcome
    record.outcome_text = text.strip()
    record.outcome_at = timezone.now()
    record.outcome_by = recorded_by
    record.save()
    recount_standing(tool_ids=chosen_tool_ids(decision.pk))
    _decision_pages_changed(decision)
    return record


# --- The back office: moderators' edits, each in the audit trail ------------


@transaction.atomic
def undeclare_decision_move(*, move: DecisionMove, actor: User) -> None:
    """Take one declared move off a decision (a wrong or abusive one); the
    decision's audit trail says who did."""
    decision = move.decision
    label = f"{move.from_tool.name} → {move.to_tool.name}"
    DecisionMove.objects.filter(pk=move.pk).delete()
    record_moderation(
        actor=actor,
        action=ModerationAction.EDIT,
        target=decision,
        reason=f"Declared move removed: {label}",
    )
    bump(
        decision_page_version(decision.pk),
        tools=[move.from_tool.slug, move.to_tool.slug],
    )


@transaction.atomic
def moderate_decision_record(
    *,
    record: DecisionRecord,
    context: str,
    consequences: str,
    outcome_text: str,
    actor: User,
) -> DecisionRecord:
    """A moderator's edit of a record's texts. Status, dates, successor and
    outcome stay the author's; the edit is kept in the audit trail."""
    record.context = context.strip()[:RECORD_TEXT_MAX_LENGTH]
    record.consequences = consequences.strip()[:RECORD_TEXT_MAX_LENGTH]
    record.outcome_text = outcome_text.strip()[:RECORD_TEXT_MAX_LENGTH]
    record.save(update_fields=["context", "consequences", "outcome_text"])
    record_moderation(
        actor=actor,
        action=ModerationAction.EDIT,
        target=record.decision,
        reason="Decision record edited",
    )
    _decision_pages_changed(record.decision, record.superseded_by)
    return record
