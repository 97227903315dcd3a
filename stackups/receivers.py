"""Keep stackups in step with the catalog."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from stackups.services import move_stackups
from tools.models import Tool
from tools.signals import tool_merged


@receiver(tool_merged, sender=Tool)
def move_merged_tool_stackups(
    sender: type[Tool], *, source: Tool, target: Tool, **kwargs: Any
) -> None:
    move_stackups(source=source, target=target)
