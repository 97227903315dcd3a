"""Decisions that record their outcome: ADR parts, reminders, outcomes."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from changes.models import DecisionRecord, Outcome, RecordStatus
from changes.services import record_outcome, save_decision_record
from decisions.tests.factories import make_decision
from feeds.models import DigestFrequency, Reading
from feeds.notifications import notifications_for
from stacks.models import Role
from stacks.tests.factories import make_company, make_membership
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


def test_supersession_links_both_ways_and_never_loops(member):
    old = make_decision(author=member, title="Use Jenkins")
    new = make_decision(author=member, title="Use GitHub Actions")
    save_decision_record(decision=old, status=RecordStatus.ACCEPTED, superseded_by=new)
    assert DecisionRecord.objects.get(decision=old).status == RecordStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="already superseded"):
        save_decision_record(
            decision=new, status=RecordStatus.ACCEPTED, superseded_by=old
        )
    with pytest.raises(ValidationError, match="itself"):
        save_decision_record(
            decision=new, status=RecordStatus.ACCEPTED, superseded_by=new
        )


def test_decision_page_shows_record_outcome_and_supersession(client, member):
    old = make_decision(author=member, title="Use Jenkins")
    new = make_decision(author=member, title="Use GitHub Actions")
    save_decision_record(
        decision=old,
        status=RecordStatus.ACCEPTED,
        context="Builds took forty minutes.",
        consequences="One more server to patch.",
        superseded_by=new,
    )
    record_outcome(
        decision=old, outcome=Outcome.REVERTED, text="We left it.", recorded_by=member
    )
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Builds took forty minutes." in page
    assert "One more server to patch." in page
    assert "Superseded by" in page
    assert new.get_absolute_url() in page
    assert "Reverted" in page
    assert "We left it." in page
    newer = client.get(new.get_absolute_url()).content.decode()
    assert "Supersedes" in newer
    assert old.get_absolute_url() in newer


def test_author_sets_the_record_through_the_form(client, member):
    decision = make_decision(author=member)
    client.force_login(member)
    url = reverse("changes:decision_record", args=[decision.pk])
    assert client.get(url).status_code == 200
    revisit = (timezone.localdate() + timedelta(days=180)).isoformat()
    response = client.post(
        url,
        {
            "status": "proposed",
            "context": "Why",
            "consequences": "",
            "revisit_on": revisit,
        },
    )
    assert response.status_code == 302
    record = DecisionRecord.objects.get(decision=decision)
    assert (record.status, record.context, record.revisit_on.isoformat()) == (
        "proposed",
        "Why",
        revisit,
    )
    assert client.post(url, {"status": "maybe"}).status_code == 400


def test_revisit_date_notifies_author_and_company_editors_until_answered(
    client, member, other_member
):
    company = make_company(name="Acme")
    make_membership(company=company, user=other_member, role=Role.EDITOR)
    decision = make_decision(author=member, title="Adopt Kafka", company=company)
    save_decision_record(
        decision=decision,
        status=RecordStatus.ACCEPTED,
        revisit_on=timezone.localdate() + timedelta(days=1),
    )
    assert not [
        n for n in notifications_for(member, seen_at=None) if n.kind == "revisit"
    ]
    DecisionRecord.objects.update(revisit_on=timezone.localdate())
    for person in (member, other_member):
        due = [
            n for n in notifications_for(person, seen_at=None) if n.kind == "revisit"
        ]
        assert len(due) == 1
        assert "Adopt Kafka" in due[0].text
    # The editor answers from the notification's link.
    client.force_login(other_member)
    response = client.post(
        due[0].url, {"outcome": "worked", "text": "Throughput doubled."}
    )
    assert response.status_code == 302
    assert not [
        n for n in notifications_for(member, seen_at=None) if n.kind == "revisit"
    ]


def test_revisit_reminder_reaches_the_digest_with_its_link(member):
    """Members who take a digest get the reminder by e-mail, with the
    address where they record the outcome."""
    decision = make_decision(author=member, title="Adopt Kafka")
    save_decision_record(
        decision=decision,
        status=RecordStatus.ACCEPTED,
        revisit_on=timezone.localdate(),
    )
    Reading.objects.create(user=member, digest=DigestFrequency.DAILY)
    call_command("send_digests", stdout=StringIO())
    (message,) = mail.outbox
    assert "Time to look back on “Adopt Kafka”" in message.body
    outcome_url = reverse("changes:decision_outcome", args=[decision.pk])
    assert f"http://127.0.0.1:8000{outcome_url}" in message.body


def test_only_author_and_company_editors_record_outcomes(client, member, other_member):
    decision = make_decision(author=member)
    client.force_login(other_member)
    url = reverse("changes:decision_outcome", args=[decision.pk])
    assert client.post(url, {"outcome": "worked", "text": "x"}).status_code == 404
    client.force_login(member)
    assert client.post(url, {"outcome": "great", "text": "x"}).status_code == 400
    assert not DecisionRecord.objects.exists()


def test_tool_page_says_how_many_teams_report_it_worked(client, member):
    kafka = make_tool(name="Kafka", slug="kafka")
    for outcome in ["worked", "worked", "worked", "mixed"]:
        decision = make_decision(chosen=[kafka])
        record_outcome(
            decision=decision, outcome=Outcome(outcome), text="…", recorded_by=member
        )
    make_decision(chosen=[kafka])  # no outcome yet
    content = client.get("/tools/kafka/").content.decode()
    summary = content[content.index('id="outcome-summary"') :]
    assert "3 of 4 teams</strong> who chose Kafka report it worked well" in summary


def test_decision_exports_as_a_madr_file(client, member):
    kafka, rabbit = make_tool(name="Kafka"), make_tool(name="RabbitMQ")
    decision = make_decision(
        author=member, title="Adopt Kafka", chosen=[kafka], considered=[rabbit]
    )
    save_decision_record(
        decision=decision, status=RecordStatus.ACCEPTED, context="Queues backed up."
    )
    response = client.get(reverse("changes:decision_adr", args=[decision.pk]))
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("---\nstatus: accepted\n")
    assert "# Adopt Kafka" in text
    assert "## Context and Problem Statement\n\nQueues backed up." in text
    assert "## Considered Options\n\n* Kafka\n* RabbitMQ" in text
    assert 'Chosen option: "Kafka"' in text


def test_outcome_shows_in_the_feed_of_those_following_the_tool(
    client, member, other_member
):
    from tools.services import follow_tool

    kafka = make_tool(name="Kafka", slug="kafka")
    follow_tool(user=other_member, tool=kafka)
    decision = make_decision(author=member, title="Adopt Kafka", chosen=[kafka])
    record_outcome(
        decision=decision,
        outcome=Outcome.MIXED,
        text="Great for events.",
        recorded_by=member,
    )
    client.force_login(other_member)
    content = client.get(reverse("feeds:feed")).content.decode()
    assert "looked back on" in content
    assert f"{decision.get_absolute_url()}#outcome" in content
    assert "Mixed" in content
