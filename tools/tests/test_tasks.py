from __future__ import annotations

import json
from functools import partial
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from tools import tasks
from tools.github import GitHubResponse, sync_github_stats
from tools.tests.factories import make_tool
from tools.tests.test_github import FLASK_REPO, RecordedGitHub


@pytest.mark.django_db(transaction=True)
def test_sync_task_waits_in_the_database_queue_until_a_worker_runs_it(settings):
    """In production the task is queued in the database and db_worker runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tool = make_tool(
        name="Flask", repository_url="https://github.com/pallets/flask", github_stars=1
    )
    github = RecordedGitHub(
        {"pallets/flask": GitHubResponse(200, {}, json.dumps(FLASK_REPO).encode())}
    )
    with mock.patch.object(
        tasks, "sync_github_stats", partial(sync_github_stats, fetch=github)
    ):
        result = tasks.sync_github.enqueue()
        tool.refresh_from_db()
        assert tool.github_stars == 1  # queued, not run yet
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            stdout=StringIO(),
        )
    result.refresh()
    assert result.return_value == {"updated": 1, "unchanged": 0, "failed": 0}
    tool.refresh_from_db()
    assert tool.github_stars == 70512
