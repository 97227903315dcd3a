from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tools.github import GitHubResponse, sync_github_stats
from tools.tests.factories import make_tool

# Recorded from GitHub's REST API (trimmed to the fields the sync reads).
FLASK_REPO = {
    "full_name": "pallets/flask",
    "stargazers_count": 70512,
    "forks_count": 16533,
    "pushed_at": "2025-10-30T18:01:22Z",
}
RATE_LIMITED = {
    "message": "API rate limit exceeded for 127.0.0.1.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
}


class RecordedGitHub:
    """Answers like GitHub from recorded responses, and remembers what it was asked."""

    def __init__(self, responses):
        self.responses = responses
        self.requests = []

    def __call__(self, url, headers):
        self.requests.append((url, headers))
        response = self.responses[url.removeprefix("https://api.github.com/repos/")]
        if isinstance(response, Exception):
            raise response
        return response


@pytest.mark.django_db
def test_sync_updates_stars_forks_and_etag():
    tool = make_tool(
        name="Flask", repository_url="https://github.com/pallets/flask", github_stars=1
    )
    github = RecordedGitHub(
        {
            "pallets/flask": GitHubResponse(
                200, {"ETag": 'W/"abc"'}, json.dumps(FLASK_REPO).encode()
            )
        }
    )
    report = sync_github_stats(fetch=github, token="t0ken")
    tool.refresh_from_db()
    assert (tool.github_stars, tool.github_forks) == (70512, 16533)
    assert tool.github_etag == 'W/"abc"'
    assert tool.github_synced_at is not None
    assert github.requests[0][1]["Authorization"] == "Bearer t0ken"
    assert report.updated == ["flask"]


@pytest.mark.django_db
def test_sync_sends_the_etag_and_keeps_numbers_on_304():
    tool = make_tool(
        repository_url="https://github.com/pallets/flask",
        github_stars=5,
        github_etag='W/"abc"',
    )
    github = RecordedGitHub({"pallets/flask": GitHubResponse(304, {})})
    report = sync_github_stats(fetch=github, token="")
    assert github.requests[0][1]["If-None-Match"] == 'W/"abc"'
    tool.refresh_from_db()
    assert tool.github_stars == 5
    assert report.unchanged == [tool.slug]


@pytest.mark.django_db
def test_one_failing_repository_does_not_stop_the_batch():
    broken = make_tool(name="Broken", repository_url="https://github.com/gone/away")
    offline = make_tool(name="Offline", repository_url="https://github.com/net/down")
    fine = make_tool(name="Fine", repository_url="https://github.com/pallets/flask")
    github = RecordedGitHub(
        {
            "gone/away": GitHubResponse(404, {}, b'{"message": "Not Found"}'),
            "net/down": OSError("connection reset"),
            "pallets/flask": GitHubResponse(200, {}, json.dumps(FLASK_REPO).encode()),
        }
    )
    report = sync_github_stats(tools=[broken, offline, fine], fetch=github, token="")
    assert report.failed == {"broken": "HTTP 404", "offline": "connection reset"}
    fine.refresh_from_db()
    assert fine.github_stars == 70512


@pytest.mark.django_db
def test_rate_limit_stops_the_batch_cleanly():
    first = make_tool(name="First", repository_url="https://github.com/a/one")
    second = make_tool(name="Second", repository_url="https://github.com/pallets/flask")
    github = RecordedGitHub(
        {
            "a/one": GitHubResponse(
                403, {"X-RateLimit-Remaining": "0"}, json.dumps(RATE_LIMITED).encode()
            ),
            "pallets/flask": GitHubResponse(200, {}, json.dumps(FLASK_REPO).encode()),
        }
    )
    report = sync_github_stats(tools=[first, second], fetch=github, token="")
    assert report.rate_limited
    assert len(github.requests) == 1


@pytest.mark.django_db
def test_sync_github_command_dry_run_lists_repositories():
    make_tool(name="Flask", repository_url="https://github.com/pallets/flask/")
    make_tool(name="Closed", repository_url="")
    out = StringIO()
    call_command("sync_github", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "flask: pallets/flask"
