"""Keep stacks in step with the catalog."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from accounts.models import User
from stacks.models import Company, RecentAdoption, Stack, StackHistory
from stacks.services import (
    count_adoption,
    give_back_stack_counts,
    hand_over_companies,
    move_stack_items,
    recount_recent_adoption,
    unfollow_company,
)
from tools.models import Category, Tool
from tools.signals import tool_merged


@receiver(tool_merged, sender=Tool)
def move_merged_tool_stack_items(
    sender: type[Tool], *, source: Tool, target: Tool, **kwargs: Any
) -> None:
    move_stack_items(source=source, target=target)


@receiver(post_save, sender=Tool)
def sum_a_saved_tool_under_its_place(
    sender: type[Tool],
    *,
    instance: Tool,
    created: bool,
    update_fields: frozenset[str] | None,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    """A tool saved with its function (moved in the catalog by a moderator
    or the catalog loader, on any path) has its recent sums written again
    under the nodes above it now; a new tool, or one without a recent
    change, has none to move (the catalog loader saves every tool)."""
    if (
        created
        or raw
        or (update_fields is not None and "function" not in update_fields)
        or not RecentAdoption.objects.filter(tool=instance).exists()
    ):
        return
    # A savepoint where the save had a transaction: the sums lock the tool.
    with transaction.atomic():
        recount_recent_adoption([instance.pk])


@receiver(post_save, sender=Category)
def sum_a_moved_categorys_tools_under_their_place(
    sender: type[Category],
    *,
    instance: Category,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    """A category saved in the back office may have moved to another
    parent: the tools below it with a recent change (those summed under
    it) have their sums written again under their nodes now."""
    if created or raw:
        return
    with transaction.atomic():  # as above
        recount_recent_adoption(
            RecentAdoption.objects.filter(category=instance).values_list(
                "tool_id", flat=True
            )
        )


@receiver(pre_delete, sender=Stack)
def take_deleted_stack_out_of_counts(
    sender: type[Stack], *, instance: Stack, **kwargs: Any
) -> None:
    """A stack's entries and events go with it (on cascade too: a member
    deleted in the back office takes their stacks), and so out of its tools'
    stack counts and the monthly sums that count them."""
    give_back_stack_counts(stack=instance)
    count_adoption(StackHistory.objects.filter(stack=instance), sign=-1)


@receiver(pre_delete, sender=User)
def take_deleted_member_out_of_follower_counts(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """A member deleted in the back office takes their company follows with
    them (a cascade): each is taken back through the service first, so the
    companies' follower counts stay exact."""
    for company in Company.objects.filter(follows__user=instance):
        unfollow_company(user=instance, company=company)


@receiver(pre_delete, sender=User)
def hand_over_deleted_members_companies(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """A member deleted in the back office takes their memberships with
    them (a cascade): a company they were the only owner of would be left
    with no one to run it, so it passes to another member first."""
    hand_over_companies(leaving=instance)
