"""Token pages, badges, the open data dump and a member's export."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.models import AccessToken, hash_token
from api.opendata import write_open_data
from decisions.tests.factories import make_decision
from stacks.models import Role
from stacks.tests.factories import make_company, make_membership, make_stack
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


def test_a_member_creates_sees_once_and_revokes_a_token(client, member):
    client.force_login(member)
    page = client.post(
        "/settings/tokens/", {"name": "Laptop", "scopes": ["read", "decisions:write"]}
    )
    assert page.status_code == 200
    secret = page.context["secret"]
    assert secret.startswith("ssk_")
    assert secret in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    token = AccessToken.objects.get(user=member)
    assert token.token_hash == hash_token(secret)
    listing = client.get("/settings/tokens/").content.decode()
    assert "Laptop" in listing
    assert secret not in listing
    client.post(f"/settings/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    make_tool(name="Django")
    refused = client.get(
        "/api/v1/tools/django/", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status_code == 401


def test_nobody_revokes_someone_elses_token(client, member, other_member):
    client.force_login(member)
    client.post("/settings/tokens/", {"name": "Laptop", "scopes": ["read"]})
    token = AccessToken.objects.get(user=member)
    client.force_login(other_member)
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_owners_open_the_company_token_page(client, member, other_member):
    company = make_company(owner=member)
    make_membership(company=company, user=other_member, role=Role.EDITOR)
    client.force_login(other_member)
    assert client.get(f"/companies/{company.slug}/tokens/").status_code == 403
    client.force_login(member)
    page = client.post(
        f"/companies/{company.slug}/tokens/", {"name": "CI", "scopes": ["stacks:write"]}
    )
    assert page.status_code == 200
    assert AccessToken.objects.get().company == company
    assert "STACKSHARE_TOKEN" in page.content.decode()


def test_anonymous_readers_are_sent_to_log_in(client):
    assert client.get("/settings/tokens/").status_code == 302
    assert client.get("/settings/export/").status_code == 302


def test_badges_count_stacks_and_tools(client):
    tools = [make_tool() for _ in range(3)]
    stack = make_stack(tools=tools)
    badge = client.get(f"/badges/stacks/{stack.slug}.svg")
    assert badge["Content-Type"].startswith("image/svg+xml")
    assert "stack: 3 tools" in badge.content.decode()
    assert "max-age" in badge["Cache-Control"]
    assert (
        "used by: 1 stack<"
        in client.get(f"/badges/tools/{tools[0].slug}.svg").content.decode()
    )
    assert client.get("/badges/tools/nothing.svg").status_code == 404
    page = client.get(tools[0].get_absolute_url()).content.decode()
    assert f"/badges/tools/{tools[0].slug}.svg" in page


def test_the_open_data_dump_describes_itself_and_shows_on_data(client):
    author = make_decision().author
    make_stack(tools=[make_tool(name="Django")])
    path = write_open_data()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        package = json.loads(archive.read("datapackage.json"))
        tools = [json.loads(line) for line in archive.read("tools.jsonl").splitlines()]
        everything = b"".join(archive.read(n) for n in names).decode()
    assert {"datapackage.json", "LICENSE.txt", "tools.csv", "stacks.jsonl"} <= names
    assert package["licenses"][0]["name"] == "CC-BY-SA-4.0"
    assert {r["name"] for r in package["resources"]} >= {
        "tools",
        "stacks",
        "stack_history",
        "decisions",
    }
    assert "django" in {t["slug"] for t in tools}
    assert author.email not in everything
    page = client.get("/data/").content.decode()
    assert path.name in page


def test_a_member_downloads_everything_they_posted(client, member):
    decision = make_decision(author=member, title="Why we chose Django")
    client.force_login(member)
    response = client.get("/settings/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert [d["title"] for d in data["decisions"]] == [decision.title]


def test_the_dump_is_also_a_task(settings):
    from api.tasks import export_open_data

    result = export_open_data.enqueue()
    assert result.return_value.startswith("stackshare-open-data-")


@pytest.fixture
def database_queue(settings):
    """The production queue (django-tasks-db), where tasks wait their time."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_daily_export_is_queued_once_and_queues_the_next(database_queue):
    from django_tasks_db.models import DBTaskResult

    from api.tasks import export_open_data

    write_open_data()  # a site with no dump yet would get one at once
    for _ in range(2):  # at every deploy: still one export waiting
        out = StringIO()
        call_command("export_open_data", "--schedule", stdout=out)
        assert "queued" in out.getvalue()
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "api.tasks.export_open_data"
    assert waiting.run_after > timezone.now() + timedelta(hours=23)

    # The worker takes it (RUNNING) and runs it: a dump, and the next one queued.
    DBTaskResult.objects.filter(pk=waiting.pk).update(status="RUNNING")
    name = export_open_data.call()
    assert name.startswith("stackshare-open-data-")
    following = DBTaskResult.objects.get(status="READY")
    assert following.pk != waiting.pk
    assert following.run_after > timezone.now() + timedelta(hours=23)


def test_scheduling_needs_a_queue_that_waits(db):
    err = StringIO()
    call_command("export_open_data", "--schedule", stdout=StringIO(), stderr=err)
    assert "scheduler" in err.getvalue()
