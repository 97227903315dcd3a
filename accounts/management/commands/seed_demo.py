"""Fill the database with the demo community: fictional members and staff.

Idempotent, and it seeds only what is missing: a second run finds what the
first created and changes nothing, and it never touches what members did on
the site since (their own accounts, follows, votes and posts).
Later parts of the site (tools, companies, decisions) add their demo data
here too, each in its own function.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email, demo_members, seed_member_follows_demo
from accounts.models import User
from accounts.moderators import MODERATORS_GROUP
from decisions.demo import seed_decisions_demo
from stacks.demo import seed_company_follows_demo, seed_stacks_demo
from stackups.demo import seed_stackups_demo
from tools.demo import seed_tools_demo

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


class Command(BaseCommand):
    help = "Create the demo community (idempotent): fictional members, a moderator and a staff account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, change nothing.",
        )

    def handle(
        self, *args: Any, dry_run: bool = False, verbosity: int = 1, **options: Any
    ) -> None:
        # A management command is an entry point, like a view: it may call
        # every app's demo seeding.
        out = self.stdout if verbosity else StringIO()
        started = timezone.now()
        with transaction.atomic():
            created = seed_members()
            verb = "Would create" if dry_run else "Created"
            out.write(
                f"{verb} {created} demo accounts ({len(DEMO_MEMBERS) + 2} in all)."
            )
            seed_stacks_demo(stdout=out, dry_run=dry_run)
            seed_decisions_demo(stdout=out, dry_run=dry_run)
            # Last, so that every demo member made above follows and votes;
            # those of an earlier run keep whatever has been done with them.
            fresh = list(demo_members(joined_since=started))
            seed_tools_demo(members=fresh, stdout=out, dry_run=dry_run)
            seed_company_follows_demo(members=fresh, stdout=out, dry_run=dry_run)
            seed_member_follows_demo(members=fresh, stdout=out, dry_run=dry_run)
            seed_stackups_demo(stdout=out, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            self.stdout.write(
                f"Staff login: {STAFF['username']} / {STAFF['password']}   "
                f"Moderator login: {MODERATOR['username']} / {MODERATOR['password']}   "
                f"Members: any of {', '.join(m[0] for m in DEMO_MEMBERS)} / {DEMO_PASSWORD}"
            )


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
