"""Import a scanned stack into a company's stack from the command line.

PATH is a repository folder (scanned on the spot), one manifest, a stack
file written by ``stackshare-scan`` or a ``techstack.yml``. Matched tools are
added as detected entries in one transaction; ``--dry-run`` only reports.
A folder's architecture decision records (``docs/adr/``, ``adr/``,
``docs/decisions/``) become draft decisions for the company to review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

import scanner
from changes.adr import read_adrs
from changes.services import import_adr_drafts
from stacks import services
from stacks.models import Company, Stack


class Command(BaseCommand):
    help = "Match a repository's packages to catalog tools and add them to a company's stack."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder to scan, a manifest or a stack file")
        parser.add_argument("--company", required=True, help="the company's slug")
        parser.add_argument(
            "--stack", required=True, help="the stack's name (created if missing)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report the matches, change nothing"
        )

    def handle(
        self,
        *args: Any,
        path: str,
        company: str,
        stack: str,
        dry_run: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        target = Path(path)
        if not target.exists():
            raise CommandError(f"{path} does not exist.")
        found = Company.objects.filter(slug=company).first()
        if found is None:
            raise CommandError(f"No company has the slug “{company}”.")
        try:
            result = scanner.scan(target)
        except scanner.ManifestError as error:
            raise CommandError(f"{path}: {error}") from error
        existing = Stack.objects.filter(company=found, name__iexact=stack).first()
        detected = services.preview_import(
            result.packages, stack=existing, warnings=result.warnings
        )
        for warning in detected.warnings:
            self.stderr.write(f"warning: {warning.file}: {warning.message}")
        with transaction.atomic():
            if existing is None and not dry_run:
                existing = services.create_stack(name=stack, company=found)
            added = []
            if not dry_run and existing is not None:
                added = services.import_into_stack(
                    stack=existing,
                    # What the import page would pre-select: the project's own stack.
                    tools=[(c.tool, c.where) for c in detected.selected],
                    added_by=None,
                    origin=f"import_stack ({result.generator or 'manifest'})",
                )
        # A command is an entry point, like a view: it may call the changes app.
        adrs = read_adrs(target) if target.is_dir() else []
        if adrs and not dry_run:
            import_adr_drafts(owner=found, adrs=adrs, origin="import_stack")
        verb = "Would add" if dry_run else "Added"
        if verbosity:
            for candidate in detected.matched:
                state = "matched " if candidate.selected else "skipped "
                self.stdout.write(
                    f"{state} {candidate.tool.slug}  ({candidate.where}, "
                    f"{candidate.kind_label})"
                )
            for candidate in detected.present:
                self.stdout.write(f"present  {candidate.tool.slug}")
            for package in detected.unknown:
                self.stdout.write(f"unknown  {package.ecosystem}:{package.name}")
        count = len(detected.selected) if dry_run else len(added)
        self.stdout.write(
            f"{verb} {count} tools to {found.name} · {stack}; "
            f"{len(detected.present)} already listed, {len(detected.unknown)} unknown packages."
        )
        if adrs:
            self.stdout.write(
                f"{'Would keep' if dry_run else 'Kept'} {len(adrs)} decision records "
                f"as drafts to review at /companies/{found.slug}/drafts/."
            )
