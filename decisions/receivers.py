"""Keep decision tags in step with the catalog."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from decisions.services import move_decision_tags
from tools.models import Tool
from tools.signals import tool_merged


@receiver(tool_merged, sender=Tool)
def move_merged_tool_decision_tags(
    sender: type[Tool], *, source: Tool, target: Tool, **kwargs: Any
) -> None:
    move_decision_tags(source=source, target=target)
