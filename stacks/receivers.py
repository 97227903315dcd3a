"""Keep stacks in step with the catalog."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from stacks.services import move_stack_items
from tools.models import Tool
from tools.signals import tool_merged


@receiver(tool_merged, sender=Tool)
def move_merged_tool_stack_items(
    sender: type[Tool], *, source: Tool, target: Tool, **kwargs: Any
) -> None:
    move_stack_items(source=source, target=target)
