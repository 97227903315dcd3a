"""Refresh tools' GitHub statistics (stars, forks, last push) from GitHub's REST API.

Requests are conditional (the stored ETag), so unchanged repositories cost
no rate limit; when the limit runs out the batch stops cleanly and the rest
waits for the next run. One failing repository never stops the others.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from stackshare.caching import bump
from tools.models import Tool

logger = logging.getLogger(__name__)

API = "https://api.github.com/repos/"
TIMEOUT_SECONDS = 10


@dataclass
class GitHubResponse:
    status: int
    headers: dict[str, str]
    body: bytes = b""


Fetch = Callable[[str, dict[str, str]], GitHubResponse]


def fetch_over_http(url: str, headers: dict[str, str]) -> GitHubResponse:
    """GET a URL; HTTP errors come back as responses, not exceptions."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - fixed https host
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return GitHubResponse(
                response.status, dict(response.headers), response.read()
            )
    except urllib.error.HTTPError as error:
        return GitHubResponse(error.code, dict(error.headers), error.read())


@dataclass
class SyncReport:
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    rate_limited: bool = False


def sync_github_stats(
    *,
    tools: Iterable[Tool] | None = None,
    fetch: Fetch = fetch_over_http,
    token: str | None = None,
) -> SyncReport:
    """Refresh every given tool (default: all with a GitHub repository)."""
    token = settings.GITHUB_TOKEN if token is None else token
    if tools is None:
        tools = Tool.objects.filter(repository_url__icontains="github.com").order_by(
            "github_synced_at", "pk"
        )
    report = SyncReport()
    for tool in tools:
        repo = tool.github_repo
        if not repo:
            continue
        headers = {
            "Accept": "application/vnd.github+json",
            "User-Agent": "stackshare-sync",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if tool.github_etag:
            headers["If-None-Match"] = tool.github_etag
        try:
            response = fetch(API + repo, headers)
        except OSError as error:  # network trouble: this repository only
            report.failed[tool.slug] = str(error)
            continue
        if (
            response.status in {403, 429}
            and response.headers.get("X-RateLimit-Remaining") == "0"
        ):
            report.rate_limited = True
            logger.warning(
                "GitHub rate limit reached; %s and later tools wait for the next run",
                tool.slug,
            )
            break
        if response.status == 304:
            Tool.objects.filter(pk=tool.pk).update(github_synced_at=timezone.now())
            report.unchanged.append(tool.slug)
            continue
        if response.status != 200:
            report.failed[tool.slug] = f"HTTP {response.status}"
            continue
        try:
            data = json.loads(response.body)
            stars, forks = int(data["stargazers_count"]), int(data["forks_count"])
            pushed_at: datetime | None = parse_datetime(data.get("pushed_at") or "")
        except (ValueError, KeyError, TypeError) as error:
            report.failed[tool.slug] = f"unreadable response: {error}"
            continue
        Tool.objects.filter(pk=tool.pk).update(
            github_stars=stars,
            github_forks=forks,
            github_pushed_at=pushed_at,
            github_synced_at=timezone.now(),
            github_etag=response.headers.get("ETag", "")[:100],
        )
        report.updated.append(tool.slug)
    if report.updated:
        # Performance: cached catalog pages show the new numbers at once.
        bump(tools=report.updated, lists=True)
    return report
