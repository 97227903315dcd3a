"""Keep what the changes app derives in step with stacks and the catalog."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from changes.services import (
    move_radar_entries,
    rebuild_moves_after_merge,
    record_history_event,
    record_history_events,
)
from stacks.models import StackHistory
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
