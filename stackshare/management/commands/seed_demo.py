"""Fill the database with the demo community, every app's part in turn.

Idempotent, and it seeds only what is missing: a second run finds what the
first created and changes nothing, and it never touches what members did on
the site since (their own accounts, follows, votes and posts). Each app
keeps its own demo data in its ``demo`` module; this command, like a view,
is the one place that calls them all.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.demo import (
    DEMO_MEMBERS,
    DEMO_PASSWORD,
    MODERATOR,
    STAFF,
    demo_members,
    seed_member_follows_demo,
    seed_members,
)
from changes.demo import seed_changes_demo
from decisions.demo import seed_decisions_demo
from stacks.demo import seed_company_follows_demo, seed_stacks_demo
from stackups.demo import seed_stackups_demo
from tools.demo import seed_tools_demo


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
            seed_changes_demo(stdout=out, dry_run=dry_run)
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
