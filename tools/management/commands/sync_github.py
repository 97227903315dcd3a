"""Refresh GitHub stars, forks and last push for tools with a GitHub repository."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tools.github import sync_github_stats
from tools.models import Tool


class Command(BaseCommand):
    help = (
        "Refresh GitHub statistics (uses GITHUB_TOKEN when set; conditional requests)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "slugs",
            nargs="*",
            help="Only these tools (default: all with a GitHub repository).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the repositories, fetch nothing.",
        )

    def handle(
        self,
        *args: Any,
        slugs: list[str],
        dry_run: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        tools = Tool.objects.filter(repository_url__icontains="github.com").order_by(
            "github_synced_at", "pk"
        )
        if slugs:
            tools = tools.filter(slug__in=slugs)
        if dry_run:
            for tool in tools:
                self.stdout.write(f"{tool.slug}: {tool.github_repo}")
            return
        report = sync_github_stats(tools=tools)
        if verbosity:
            self.stdout.write(
                f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, {len(report.failed)} failed"
                + (" (stopped at the rate limit)" if report.rate_limited else "")
            )
            for slug, problem in report.failed.items():
                self.stdout.write(f"  {slug}: {problem}")
