"""Background work of the catalog, for Django's tasks framework."""

from __future__ import annotations

from django.tasks import task

from tools.github import sync_github_stats


@task
def sync_github() -> dict[str, int]:
    """Refresh GitHub statistics of every tool with a GitHub repository."""
    report = sync_github_stats()
    return {
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
    }
