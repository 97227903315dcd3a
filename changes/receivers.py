"""Keep what the changes app derives in step with stacks, posts and the catalog."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from changes.models import DecisionRecord, RadarEntry
from changes.services import (
    move_radar_entries,
    rebuild_moves_after_merge,
    record_history_event,
    record_history_events,
    recount_standing,
)
from changes.services.standing import chosen_tool_ids, has_outcome
from decisions.models import Decision
from decisions.signals import post_changed
from stacks.models import Ring, StackHistory
from stacks.signals import stack_history_many_recorded, stack_history_recorded
from tools.models import Tool
from tools.signals import tool_merged


@receiver(stack_history_recorded, sender=StackHistory)
def derive_moves(
    sender: type[StackHistory], *, history: StackHistory, **kwargs: Any
) -> None:
    record_history_event(history=history)


@receiver(stack_history_many_recorded, sender=StackHistory)
def derive_moves_of_many(
    sender: type[StackHistory], *, histories: list[StackHistory], **kwargs: Any
) -> None:
    # An import or a pushed scan adds many entries at once: one lookup for
    # all of them rather than one per row.
    record_history_events(histories=histories)


@receiver(tool_merged, sender=Tool)
def rederive_moves_after_merge(
    sender: type[Tool], *, source: Tool, target: Tool, **kwargs: Any
) -> None:
    # Connected after the stacks app's receiver (INSTALLED_APPS order), so
    # the history and the stack entries already name the target.
    move_radar_entries(source=source, target=target)
    rebuild_moves_after_merge(source=source, target=target)
    # The decisions app moved the tags before (it comes first too).
    recount_standing(tool_ids=[target.pk])


@receiver(post_changed, sender=Decision)
def recount_outcomes_of_post(
    sender: type[Decision], *, decision_id: int, tools_before: list[int], **kwargs: Any
) -> None:
    # Hidden, restored, deleted or retagged: the outcome moves between tools.
    if has_outcome(decision_id):
        recount_standing(tool_ids=[*tools_before, *chosen_tool_ids(decision_id)])


def _deleting_a_tool(origin: object) -> bool:
    """Whether a deletion started from a tool (or tools): its standing goes
    with it, and must not be written again on the way."""
    return isinstance(origin, Tool) or getattr(origin, "model", None) is Tool


@receiver(post_delete, sender=RadarEntry)
def recount_rings_after_delete(
    sender: type[RadarEntry], *, instance: RadarEntry, origin: object, **kwargs: Any
) -> None:
    # On any path: an entry removed from its stack, a stack, a company or a
    # member deleted in the back office. Sent once every entry of the
    # deletion is gone, so each recount sees them all gone.
    if instance.ring in {Ring.HOLD, Ring.TRIAL} and not _deleting_a_tool(origin):
        recount_standing(tool_ids=[instance.tool_id])


@receiver(pre_delete, sender=DecisionRecord)
def note_tools_of_deleted_outcome(
    sender: type[DecisionRecord], *, instance: DecisionRecord, **kwargs: Any
) -> None:
    # A post deleted for good (its author deleted in the back office): its
    # tags may be gone before its record, so its tools are noted first.
    instance._chosen_tools = (  # type: ignore[attr-defined]  # for the receiver below
        chosen_tool_ids(instance.decision_id) if instance.outcome else []
    )


@receiver(post_delete, sender=DecisionRecord)
def recount_outcomes_after_delete(
    sender: type[DecisionRecord],
    *,
    instance: DecisionRecord,
    origin: object,
    **kwargs: Any,
) -> None:
    tools = getattr(instance, "_chosen_tools", [])
    if tools and not _deleting_a_tool(origin):
        recount_standing(tool_ids=tools)
