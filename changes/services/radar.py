"""Radar rings of company stack entries, set by editors and by moderators."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import ModerationAction, User
from accounts.services import record_moderation
from changes.models import REASON_MAX_LENGTH, RadarEntry
from changes.services.standing import recount_standing
from stacks.models import Ring, StackItem
from stacks.services import company_changed, record_ring_change
from stackshare.caching import bump
from tools.models import Tool


@transaction.atomic
def set_ring(
    *,
    item: StackItem,
    ring: Ring,
    reason: str = "",
    actor: User | None,
    when: datetime | None = None,
) -> RadarEntry:
    """Put a company stack entry in a ring, with why; the move goes into the
    stack's history (who, when, from which ring to which, why).

    Only company stacks have a radar. Setting the same ring and reason
    again is a no-op; a new reason alone updates the entry without a
    history row. Editing rights are checked by the caller.
    """
    stack = item.stack
    if stack.company_id is None:
        raise ValueError("Only a company's stack entries have a ring.")
    when = when or timezone.now()
    reason = " ".join(reason.split())[:REASON_MAX_LENGTH]
    entry, _ = RadarEntry.objects.select_for_update().get_or_create(
        item=item,
        defaults={"tool_id": item.tool_id, "ring": Ring.ADOPT, "changed_at": when},
    )
    if entry.ring == ring and entry.reason == reason:
        return entry
    if entry.ring != ring:
        record_ring_change(
            item=item,
            ring_from=Ring(entry.ring),
            ring_to=ring,
            reason=reason,
            actor=actor,
            when=when,
        )
        entry.changed_at = when
    entry.ring, entry.reason, entry.changed_by = ring, reason, actor
    entry.save()
    recount_standing(tool_ids=[item.tool_id])
    # The company's radar and the tool page's hold and trial counts.
    company_changed(company_ids=[stack.company_id])
    bump(tools=Tool.objects.filter(pk=item.tool_id).values_list("slug", flat=True))
    return entry


def move_radar_entries(*, source: Tool, target: Tool) -> None:
    """After a merge, the source's entries (now the target's stack entries)
    name the target too."""
    RadarEntry.objects.filter(tool=source).update(tool=target)


# --- The back office: moderators' edits, each in the audit trail ------------


@transaction.atomic
def moderate_ring(
    *, entry: RadarEntry, ring: Ring, reason: str, actor: User
) -> RadarEntry:
    """A moderator's change to a radar entry (an abusive reason, say): set as
    an editor would, so a new ring goes into the stack's history, and kept
    in the audit trail against the stack."""
    item = entry.item
    before = (entry.ring, entry.reason)
    entry = set_ring(item=item, ring=ring, reason=reason, actor=actor)
    if (entry.ring, entry.reason) != before:
        record_moderation(
            actor=actor,
            action=ModerationAction.EDIT,
            target=item.stack,
            reason=f"Radar entry of {item.tool.name}: {entry.get_ring_display()}",
        )
    return entry
