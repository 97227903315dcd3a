"""Prepare ``make bench``'s API push: a token and stack files of 200 packages.

    manage.py bench_api_push --output .bench/api_push.json

Picks a company stack and one of its owners, creates a company token for
it, and writes stack files of 200 real packages (aliases of approved
tools) that overlap but differ, so each push adds entries and marks others
"not seen", the way CI pushes after a change to the manifests would. The
runner posts them to the live server and times each push.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from api.models import Scope
from api.services import create_token
from stacks.models import CompanyMembership, Stack
from tools.models import Alias

PACKAGES = 200
STEP = 40


class Command(BaseCommand):
    help = "Create a CI token and 200-package stack files for the API push bench."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pushes", type=int, default=5)
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, pushes: int = 5, output: Path, **options: Any) -> None:
        membership = (
            CompanyMembership.objects.owners()
            .filter(
                company__stacks__isnull=False,
                user__is_active=True,
                user__is_suspended=False,
            )
            .select_related("company", "user")
            .first()
        )
        if membership is None:
            raise CommandError(
                "No company with a stack and an owner: run generate_bench_data."
            )
        stack = Stack.objects.filter(company=membership.company).earliest("pk")
        _, secret = create_token(
            user=membership.user,
            name="bench CI",
            scopes=[Scope.STACKS_WRITE],
            company=membership.company,
        )
        aliases = list(
            Alias.objects.filter(tool__status="approved").order_by("pk")[
                : PACKAGES + STEP * pushes
            ]
        )
        if not aliases:
            raise CommandError("No aliases in the catalog: nothing to push.")
        if len(aliases) < PACKAGES:
            self.stderr.write(f"Only {len(aliases)} aliases; pushes will be smaller.")
        # A catalog smaller than a push: windows of four fifths of it, so the
        # pushes still differ from each other.
        size = min(PACKAGES, max(1, len(aliases) * 4 // 5))
        bodies = []
        for n in range(pushes):
            # Past the end of a small catalog the window wraps round, so
            # each push still differs from the one before.
            window = (aliases[n * STEP :] + aliases[: n * STEP])[:size]
            bodies.append(
                {
                    "format": "stackshare-stack",
                    "version": 1,
                    "generator": "stackshare-scan bench",
                    "generated_at": "",
                    "files": ["package.json"],
                    "packages": [
                        {"ecosystem": a.ecosystem, "name": a.name, "file": "manifest"}
                        for a in window
                    ],
                }
            )
        document = {
            "path": reverse("api:stack_scans", kwargs={"slug": stack.slug}),
            "token": secret,
            "bodies": bodies,
        }
        output.write_text(json.dumps(document))
