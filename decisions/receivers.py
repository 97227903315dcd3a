"""Keep decision tags in step with the catalog, and counts with members who leave."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from accounts.models import User
from decisions.services import move_decision_tags, take_out_member
from tools.models import Tool
from tools.signals import tool_merged


@receiver(tool_merged, sender=Tool)
def move_merged_tool_decision_tags(
    sender: type[Tool], *, source: Tool, target: Tool, **kwargs: Any
) -> None:
    move_decision_tags(source=source, target=target)


@receiver(pre_delete, sender=User)
def take_deleted_member_out_of_posts(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """A member deleted in the back office (decisions.services.take_out_member)."""
    take_out_member(member=instance)
