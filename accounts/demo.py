"""Demo members following one another (called by ``seed_demo``, last)."""

from __future__ import annotations

import random
from typing import TextIO

from accounts.models import MemberFollow, User
from accounts.services import follow_member

FOLLOW_SHARE = 0.2


def seed_member_follows_demo(*, stdout: TextIO, dry_run: bool = False) -> None:
    """Each demo member follows about a fifth of the others (idempotent)."""
    members = list(User.objects.filter(is_staff=False).order_by("username"))
    added = 0
    for follower in members:
        for followed in members:
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
