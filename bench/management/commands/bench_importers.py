"""Prepare ``make bench``'s importers: members, their sessions and stacks.

    manage.py bench_importers --members 5 --output .bench/importers.json

Picks members who each own a stack (distinct members, so a limit per member
applies to each separately), signs them in (real sessions, for the runner's
Cookie header), gives each a CSRF token, and measures in this process the CPU
time of the worst import the limits allow (``bench.imports``), which only
previews: nothing is written to the stacks.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import reverse

from bench.imports import worst_case_files
from stacks.models import Stack

HOST = "127.0.0.1"


class Command(BaseCommand):
    help = "Sign in the benchmark's importers and measure the worst import's CPU time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=5)
        parser.add_argument(
            "--measure", type=int, default=5, help="Worst imports to time in-process."
        )
        parser.add_argument(
            "--output", type=Path, help="Write the JSON here (default: stdout)."
        )

    def handle(
        self,
        *args: Any,
        members: int = 5,
        measure: int = 5,
        output: Path | None = None,
        **options: Any,
    ) -> None:
        stacks = self.first_stacks(members)
        if len(stacks) < members:
            raise CommandError(
                f"Only {len(stacks)} members own a stack here: run generate_bench_data first."
            )
        importers = [self.sign_in(stack) for stack in stacks]
        seconds = self.time_worst_import(stacks[0], measure) if measure else []
        document = {
            "importers": [entry for entry, _ in importers],
            "worst_import_cpu_s": seconds,
        }
        if seconds:
            self.stderr.write(
                f"worst import: {statistics.median(seconds) * 1000:.0f} ms CPU "
                f"(median of {len(seconds)}; max {max(seconds) * 1000:.0f} ms)"
            )
        text = json.dumps(document, indent=2)
        if output:
            output.write_text(text + "\n")
        else:
            self.stdout.write(text)

    def first_stacks(self, members: int) -> list[Stack]:
        """One stack each for the first members who own one."""
        chosen: dict[int, Stack] = {}
        stacks = Stack.objects.filter(owner_user__is_active=True).select_related(
            "owner_user"
        )
        for stack in stacks.order_by("pk").iterator():
            chosen.setdefault(stack.owner_user_id, stack)  # type: ignore[arg-type]  # member stacks only (filtered above)
            if len(chosen) == members:
                break
        return list(chosen.values())

    def sign_in(self, stack: Stack) -> tuple[dict[str, str], Client]:
        client = Client(HTTP_HOST=HOST)
        client.force_login(stack.owner_user)  # type: ignore[arg-type]  # member stacks only (filtered above)
        path = reverse("stacks:import", args=[stack.slug])
        client.get(path)  # sets the CSRF cookie
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        return (
            {
                "member": stack.owner_user.username,  # type: ignore[union-attr]  # member stacks only (filtered above)
                "path": path,
                "stack": stack.slug,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "csrf": token,
            },
            client,
        )

    def time_worst_import(self, stack: Stack, times: int) -> list[float]:
        """CPU seconds of the worst import, each request on its own."""
        _, client = self.sign_in(stack)
        path = reverse("stacks:import", args=[stack.slug])
        files = worst_case_files()
        seconds = []
        for _ in range(times):
            uploads = [SimpleUploadedFile(name, content) for name, content in files]
            began, started = time.monotonic(), time.process_time()
            response = client.post(path, {"files": uploads})
            seconds.append(round(time.process_time() - started, 4))
            # A long import pauses the site's import slot as long as it ran.
            time.sleep(math.ceil(time.monotonic() - began) + 0.1)
            if response.status_code != 200:
                raise CommandError(
                    f"The worst import answered {response.status_code}, not 200."
                )
        return seconds
