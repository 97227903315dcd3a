"""The demo community's members, and their follows of one another.

Demo members are told apart by their address at ``DEMO_EMAIL_DOMAIN`` (a
reserved ``.invalid`` domain, so nothing is ever delivered there). Seeding
gives activity only to demo members created in the same run: a demo member
who exists already may have been used since, and what was done with the
account (an unfollow, say) is kept; members who signed up for real are never
touched.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import TextIO

from django.db.models import QuerySet

from accounts.models import MemberFollow, User
from accounts.services import follow_member

DEMO_EMAIL_DOMAIN = "demo.stackshare.invalid"
FOLLOW_SHARE = 0.2


def demo_email(username: str) -> str:
    """The address of a demo member."""
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_members(*, joined_since: datetime | None = None) -> QuerySet[User]:
    """The demo's members (not its staff), oldest user name first; with
    ``joined_since``, only those created from that moment on."""
    members = User.objects.filter(
        email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_staff=False
    ).order_by("username")
    if joined_since is not None:
        members = members.filter(date_joined__gte=joined_since)
    return members


def seed_member_follows_demo(
    *, members: list[User], stdout: TextIO, dry_run: bool = False
) -> None:
    """Each of ``members`` follows about a fifth of the other demo members,
    and is followed by about a fifth of them (idempotent)."""
    everyone = list(demo_members())
    added = 0
    for new in members:
        for other in everyone:
            for follower, followed in ((new, other), (other, new)):
                if follower.pk == followed.pk:
                    continue
                rng = random.Random(f"{follower.username}->{followed.username}")
                if (
                    rng.random() < FOLLOW_SHARE
                    and not MemberFollow.objects.filter(
                        follower=follower, followed=followed
                    ).exists()
                ):
                    follow_member(follower=follower, followed=followed)
                    added += 1
    verb = "Would add" if dry_run else "Added"
    stdout.write(f"{verb} {added} follows between members.")
