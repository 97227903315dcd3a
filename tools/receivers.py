"""Keep the catalog's counts in step with members who leave."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from accounts.models import User
from tools.models import Category, ProCon, Tool
from tools.services import (
    unfollow_category,
    unfollow_tool,
    withdraw_procon_vote,
    withdraw_tool_vote,
)


@receiver(pre_delete, sender=User)
def take_deleted_member_out_of_counts(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """A member deleted in the back office takes their follows and votes
    with them (a cascade). Each is first taken back through its service, so
    the follower and vote counts that rank the catalog stay exact."""
    for tool in Tool.objects.filter(follows__user=instance):
        unfollow_tool(user=instance, tool=tool)
    for tool in Tool.objects.filter(votes__user=instance):
        withdraw_tool_vote(user=instance, tool=tool)
    for category in Category.objects.filter(follows__user=instance):
        unfollow_category(user=instance, category=category)
    for procon in ProCon.objects.filter(votes__user=instance).select_related("tool"):
        withdraw_procon_vote(user=instance, procon=procon)
