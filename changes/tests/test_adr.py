"""ADR files in a repository become draft decisions for the company to review."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

import scanner
from api.services import create_token
from changes.adr import parse_adr, parse_pushed
from changes.models import DecisionRecord, DraftDecision, DraftState
from stacks.models import Role
from stacks.tests.factories import make_company, make_item, make_membership, make_stack
from tools.tests.factories import make_tool

MADR = """---
status: accepted
date: 2024-05-01
---
# Use PostgreSQL for the order service

## Context and Problem Statement

Orders need transactions across three tables.

## Considered Options

* PostgreSQL
* MongoDB

## Decision Outcome

Chosen option: "PostgreSQL", because it gives us transactions.

### Consequences

* Good, because reports are plain SQL.
"""

NYGARD = """# 2. Record architecture decisions

## Status

Superseded by 5

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records.

## Consequences

See Michael Nygard's article.
"""


def test_parses_madr_and_nygard_layouts():
    madr = parse_adr(MADR, path="docs/adr/0001-use-postgresql.md")
    assert madr.title == "Use PostgreSQL for the order service"
    assert madr.status == "accepted"
    assert madr.context == "Orders need transactions across three tables."
    assert madr.options == ["PostgreSQL", "MongoDB"]
    assert "plain SQL" in madr.consequences
    nygard = parse_adr(NYGARD, path="adr/0002.md")
    assert nygard.title == "Record architecture decisions"
    assert nygard.status == "superseded"
    assert nygard.decision == "We will use Architecture Decision Records."
    assert parse_adr("no heading here", path="x.md") is None


@pytest.fixture
def repository(tmp_path):
    (tmp_path / "requirements.txt").write_text("django==5.0\n")
    adr = tmp_path / "docs" / "adr"
    adr.mkdir(parents=True)
    (adr / "0001-use-postgresql.md").write_text(MADR)
    (adr / "0002-record-decisions.md").write_text(NYGARD)
    (adr / "template.md").write_text("# Title\n")
    return tmp_path


@pytest.mark.django_db
def test_import_stack_keeps_adrs_as_drafts_once(repository, member):
    company = make_company(name="Acme", owner=member)
    out = StringIO()
    call_command(
        "import_stack", str(repository), company="acme", stack="Main", stdout=out
    )
    assert "Kept 2 decision records as drafts" in out.getvalue()
    assert DraftDecision.objects.filter(company=company).count() == 2
    DraftDecision.objects.filter(path__endswith="0002-record-decisions.md").update(
        state=DraftState.DISMISSED
    )
    call_command(
        "import_stack", str(repository), company="acme", stack="Main", stdout=out
    )
    assert DraftDecision.objects.count() == 2
    assert DraftDecision.objects.filter(state=DraftState.DISMISSED).count() == 1


@pytest.mark.django_db
def test_editor_publishes_a_draft_with_its_record(
    client, repository, member, other_member
):
    company = make_company(name="Acme", owner=member)
    postgres = make_tool(name="PostgreSQL")
    make_item(stack=make_stack(company=company), tool=postgres)
    call_command(
        "import_stack", str(repository), company="acme", stack="Main", stdout=StringIO()
    )
    draft = DraftDecision.objects.get(title__startswith="Use PostgreSQL")
    client.force_login(other_member)
    assert client.get("/companies/acme/drafts/").status_code == 404
    make_membership(company=company, user=other_member, role=Role.EDITOR)
    page = client.get("/companies/acme/drafts/").content.decode()
    assert "Use PostgreSQL for the order service" in page
    assert f'value="{postgres.pk}"' in page
    response = client.post(
        f"/companies/acme/drafts/{draft.pk}/publish/", {"chosen": [postgres.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED
    decision = draft.decision
    assert (decision.author, decision.title) == (
        other_member,
        "Use PostgreSQL for the order service",
    )
    record = DecisionRecord.objects.get(decision=decision)
    assert record.context == "Orders need transactions across three tables."
    # Published once only; a publish without a chosen tool is refused.
    other = DraftDecision.objects.exclude(pk=draft.pk).get()
    refused = client.post(f"/companies/acme/drafts/{other.pk}/publish/", {})
    assert refused.status_code == 400
    again = client.post(f"/companies/acme/drafts/{draft.pk}/publish/", {})
    assert again.status_code == 404


def test_the_scanner_carries_adrs_in_the_stack_file(repository):
    """The stand-alone scanner finds the same files as import_stack and
    writes them into the stack file it pushes; reading it back keeps them."""
    found = scanner.scan(repository)
    assert [r["path"] for r in found.decision_records] == [
        "docs/adr/0001-use-postgresql.md",
        "docs/adr/0002-record-decisions.md",
    ]
    again = scanner.read_stack_file(found.to_json())
    assert again.decision_records == found.decision_records
    assert [a.title for a in parse_pushed(again.decision_records)] == [
        "Use PostgreSQL for the order service",
        "Record architecture decisions",
    ]
    with pytest.raises(scanner.ManifestError, match="path"):
        scanner.read_stack_file(
            json.dumps(
                {"format": "stackshare-stack", "packages": [], "decision_records": [1]}
            )
        )


@pytest.mark.django_db
def test_a_pushed_scan_keeps_its_adrs_as_drafts_of_the_company(
    client, repository, member
):
    company = make_company(name="Acme", owner=member)
    stack = make_stack(company=company, name="Main")
    _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
    body = scanner.scan(repository).to_json()
    for _ in range(2):  # pushed again: the drafts are refreshed, not doubled
        response = client.post(
            f"/api/v1/stacks/{stack.slug}/scans/",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert response.status_code in {200, 201}, response.content
    drafts = DraftDecision.objects.filter(company=company, state=DraftState.PENDING)
    assert sorted(d.title for d in drafts) == [
        "Record architecture decisions",
        "Use PostgreSQL for the order service",
    ]
    assert drafts.first().origin.startswith("push of stackshare-scan")


@pytest.mark.django_db
def test_a_members_own_stack_keeps_pushed_adrs_for_the_member_to_review(
    client, repository, member, other_member
):
    """ADRs pushed with a scan of a member's own stack wait as that member's
    drafts (the push says how many and where); the member publishes one as
    their decision, and nobody else sees or reviews them."""
    stack = make_stack(owner_user=member, name="Side project")
    postgres = make_tool(name="PostgreSQL")
    make_item(stack=stack, tool=postgres)
    _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
    body = scanner.scan(repository).to_json()
    pushed = [
        client.post(
            f"/api/v1/stacks/{stack.slug}/scans/",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        ).json()["decision_records"]
        for _ in range(2)
    ]
    assert (pushed[0]["new"], pushed[1]["new"], pushed[1]["refreshed"]) == (2, 0, 2)
    assert pushed[0]["review_url"] == "http://testserver/settings/drafts/"
    drafts = DraftDecision.objects.filter(owner_user=member, company=None)
    assert drafts.count() == 2
    draft = drafts.get(title__startswith="Use PostgreSQL")

    client.force_login(other_member)
    assert "Use PostgreSQL" not in client.get("/settings/drafts/").content.decode()
    assert client.post(f"/settings/drafts/{draft.pk}/dismiss/").status_code == 404

    client.force_login(member)
    page = client.get("/settings/drafts/").content.decode()
    assert "Use PostgreSQL for the order service" in page
    assert f'value="{postgres.pk}"' in page
    response = client.post(
        f"/settings/drafts/{draft.pk}/publish/", {"chosen": [postgres.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.decision.author) == (DraftState.PUBLISHED, member)
    other = drafts.exclude(pk=draft.pk).get()
    assert client.post(f"/settings/drafts/{other.pk}/dismiss/")["Location"] == (
        "/settings/drafts/"
    )
    other.refresh_from_db()
    assert other.state == DraftState.DISMISSED
