"""Keep members' follower counts in step with members who leave, let
search find those who join, and read a changed account afresh."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.models import User, account_version
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


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def read_changed_account_afresh(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """Every save of a member's row (a new password, a deactivation, a
    profile edit, allauth's and the back office's) reaches their next
    request: it reads the member from the cache (accounts.backends)."""
    bump(account_version(instance.pk))
