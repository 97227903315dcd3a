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
from io import TextIOBase
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db.models import QuerySet

from accounts.models import MemberFollow, User
from accounts.moderators import MODERATORS_GROUP
from accounts.services import follow_member

DEMO_EMAIL_DOMAIN = "demo.stackshare.invalid"
FOLLOW_SHARE = 0.2

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - printed demo logins, never production
STAFF = {"username": "admin", "password": "admin-demo-123"}
MODERATOR = {"username": "moderator", "password": "moderator-demo-123"}

# Invented people at invented companies; any likeness is accidental.
DEMO_MEMBERS = [
    (
        "nadia",
        "Nadia Okafor",
        "Staff Engineer",
        "Quillbyte",
        "Lagos",
        "Builds payment rails and the dashboards that watch them.",
    ),
    (
        "tomas",
        "Tomás Reyes",
        "VP of Engineering",
        "Parcelwise",
        "Valencia",
        "Ships logistics software; collects mechanical keyboards.",
    ),
    (
        "mei",
        "Mei Tanaka",
        "Head of Platform",
        "Lumenfold",
        "Osaka",
        "Kubernetes by day, pottery by night.",
    ),
    (
        "jonas",
        "Jonas Berg",
        "Backend Developer",
        "Fjordlight Studios",
        "Bergen",
        "Python, Postgres and too much coffee.",
    ),
    (
        "priya",
        "Priya Raman",
        "CTO",
        "Tallyhive",
        "Bengaluru",
        "Small teams, boring tech, fast releases.",
    ),
    (
        "sam",
        "Sam Whitfield",
        "Frontend Lead",
        "Brightkettle",
        "Leeds",
        "Cares about accessible forms and fast pages.",
    ),
    (
        "amara",
        "Amara Diallo",
        "Data Engineer",
        "Orbitmint",
        "Dakar",
        "Moves data from where it is to where it is useful.",
    ),
    (
        "lukas",
        "Lukas Novak",
        "Site Reliability Engineer",
        "Quillbyte",
        "Prague",
        "On call, calm, and writing runbooks.",
    ),
]


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
    *, members: list[User], stdout: TextIOBase, dry_run: bool = False
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


def ensure_member(username: str, password: str, **fields: Any) -> bool:
    """Create a member with a confirmed address unless they exist; True if created."""
    if User.objects.filter(username=username).exists():
        return False
    email = demo_email(username)
    user = User.objects.create_user(
        username=username, email=email, password=password, **fields
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return True


def seed_members() -> int:
    """The demo members, a moderator and a superuser."""
    created = 0
    for username, name, title, company, location, bio in DEMO_MEMBERS:
        created += ensure_member(
            username,
            DEMO_PASSWORD,
            display_name=name,
            job_title=title,
            company_name=company,
            location=location,
            bio=bio,
        )
    created += ensure_member(
        STAFF["username"],
        STAFF["password"],
        display_name="Site Admin",
        is_staff=True,
        is_superuser=True,
    )
    if ensure_member(
        MODERATOR["username"],
        MODERATOR["password"],
        display_name="Demo Moderator",
        is_staff=True,
    ):
        created += 1
        User.objects.get(username=MODERATOR["username"]).groups.add(
            Group.objects.get(name=MODERATORS_GROUP)
        )
    return created
