"""Keep members' follower counts in step with members who leave, and let
search find those who join."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from accounts.models import User
from accounts.services import unfollow_member
from stackshare.caching import FOUND, bump


@receiver(pre_delete, sender=User)
def take_deleted_member_out_of_follower_counts(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """A member deleted in the back office takes their follows of other
    members with them (a cascade): each is taken back through the service
    first, so those members' follower counts stay exact."""
    for followed in User.objects.filter(followers__follower=instance):
        unfollow_member(follower=instance, followed=followed)


@receiver(user_signed_up)
def let_search_find_new_member(sender: Any, *, user: User, **kwargs: Any) -> None:
    """Search finds the new member at once: its pages are kept until what
    they find changes (stackshare.caching)."""
    bump(FOUND)
