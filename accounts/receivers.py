"""Keep members' follower counts in step with members who leave."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from accounts.models import User
from accounts.services import unfollow_member


@receiver(pre_delete, sender=User)
def take_deleted_member_out_of_follower_counts(
    sender: type[User], *, instance: User, **kwargs: Any
) -> None:
    """A member deleted in the back office takes their follows of other
    members with them (a cascade): each is taken back through the service
    first, so those members' follower counts stay exact."""
    for followed in User.objects.filter(followers__follower=instance):
        unfollow_member(follower=instance, followed=followed)
