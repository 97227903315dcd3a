"""ADR drafts imported from a repository: keeping, publishing and dismissing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from changes.adr import ParsedAdr
from changes.models import (
    RECORD_TEXT_MAX_LENGTH,
    DraftDecision,
    DraftState,
    RecordStatus,
)
from changes.services.records import save_decision_record
from decisions.models import Decision, DecisionKind
from decisions.services import create_decision
from stacks.models import Company
from tools.models import Tool


@transaction.atomic
def import_adr_drafts(
    *, owner: Company | User, adrs: Iterable[ParsedAdr], origin: str
) -> tuple[int, int]:
    """Keep a repository's ADRs as drafts to review (by path), for the
    company whose stack it feeds or for the member whose own stack it feeds.

    A pending draft is refreshed from its file; one already published or
    dismissed is left alone. Returns how many were created and refreshed.
    """
    owned_by = (
        {"company": owner} if isinstance(owner, Company) else {"owner_user": owner}
    )
    created = refreshed = 0
    for adr in adrs:
        fields = {
            "title": adr.title[:140],
            "status": adr.status,
            "context": adr.context[:RECORD_TEXT_MAX_LENGTH],
            "body": adr.decision[:RECORD_TEXT_MAX_LENGTH],
            "consequences": adr.consequences[:RECORD_TEXT_MAX_LENGTH],
            "options": adr.options,
            "origin": origin[:120],
        }
        draft = (
            DraftDecision.objects.select_for_update()
            .filter(**owned_by, path=adr.path[:300])
            .first()
        )
        if draft is None:
            DraftDecision.objects.create(**owned_by, path=adr.path[:300], **fields)
            created += 1
        elif draft.state == DraftState.PENDING:
            for name, value in fields.items():
                setattr(draft, name, value)
            draft.save()
            refreshed += 1
    return created, refreshed


@transaction.atomic
def publish_draft(
    *,
    draft: DraftDecision,
    author: User,
    chosen: list[Tool],
    considered: list[Tool] = (),  # type: ignore[assignment]  # an empty, never-mutated default
) -> Decision:
    """Publish a reviewed draft as the editor's decision, with its record."""
    if draft.state != DraftState.PENDING:
        raise ValidationError("This draft was already reviewed.")
    body = draft.body or draft.context or draft.title
    decision = create_decision(
        author=author,
        kind=DecisionKind.DECIDED,
        title=draft.title,
        body=f"{body}\n\n*Imported from `{draft.path}`.*",
        chosen=chosen,
        considered=list(considered),
    )
    # Without its successor at hand, a superseded record is kept as deprecated.
    status = (
        RecordStatus.DEPRECATED
        if draft.status == RecordStatus.SUPERSEDED
        else RecordStatus(draft.status)
    )
    save_decision_record(
        decision=decision,
        status=status,
        context=draft.context,
        consequences=draft.consequences,
    )
    draft.state, draft.decision = DraftState.PUBLISHED, decision
    draft.save(update_fields=["state", "decision"])
    return decision


@transaction.atomic
def dismiss_draft(*, draft: DraftDecision) -> None:
    """Leave a draft out; a later import does not bring it back."""
    draft.state = DraftState.DISMISSED
    draft.save(update_fields=["state"])
