"""The back office for change over time: what a moderator changes goes
through the services, into the stack's history and the audit trail.

Who may do what is in accounts/tests/test_admin_permissions.py."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import ModerationAction, ModerationEvent
from accounts.moderators import MODERATORS_GROUP
from accounts.tests.factories import sign_in_with_mfa
from changes.models import DecisionMove, DecisionRecord, RadarEntry, RecordStatus
from changes.services import declare_decision_moves, save_decision_record, set_ring
from decisions.tests.factories import make_decision
from stacks.models import HistoryAction, Ring, StackHistory
from stacks.tests.factories import make_company, make_item, make_stack
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db

GRANTED = importlib.import_module(
    "changes.migrations.0007_moderator_permissions"
).PERMISSIONS


@pytest.fixture
def mod_client(client, moderator):
    """A moderator in the back office, the group holding what the migration
    grants (a transactional test elsewhere may have flushed it)."""
    group = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    for permission in GRANTED:
        app_label, codename = permission.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return sign_in_with_mfa(client, moderator)


def _events(action: ModerationAction) -> list[tuple[str, str]]:
    return list(
        ModerationEvent.objects.filter(action=action).values_list(
            "target_repr", "reason"
        )
    )


def test_moderator_correcting_a_ring_writes_history_and_audit(
    mod_client, moderator, member
):
    company = make_company(name="Acme", owner=member)
    stack = make_stack(company=company, name="Platform")
    item = make_item(stack=stack, tool=make_tool(name="Jenkins"))
    entry = set_ring(item=item, ring=Ring.TRIAL, reason="something rude", actor=member)
    url = reverse("admin:changes_radarentry_change", args=[entry.pk])
    response = mod_client.post(url, {"ring": "hold", "reason": "Being replaced"})
    assert response.status_code == 302
    entry = RadarEntry.objects.get(pk=entry.pk)
    assert (entry.ring, entry.reason, entry.changed_by) == (
        Ring.HOLD,
        "Being replaced",
        moderator,
    )
    change = StackHistory.objects.filter(action=HistoryAction.RING).first()
    assert (change.ring_from, change.ring_to, change.actor) == (
        Ring.TRIAL,
        Ring.HOLD,
        moderator,
    )
    assert _events(ModerationAction.EDIT) == [
        ("Acme · Platform", "Radar entry of Jenkins: Hold")
    ]


def test_moderator_takes_a_declared_move_off_a_decision(mod_client, member):
    old, new = make_tool(name="Jenkins"), make_tool(name="Buildkite")
    decision = make_decision(author=member, chosen=[new], considered=[old])
    declare_decision_moves(
        decision=decision, from_tools=[old], to_tools=[new], declared_by=member
    )
    move = DecisionMove.objects.get()
    url = reverse("admin:changes_decisionmove_delete", args=[move.pk])
    assert mod_client.post(url, {"post": "yes"}).status_code == 302
    assert not DecisionMove.objects.exists()
    assert _events(ModerationAction.EDIT) == [
        (str(decision), "Declared move removed: Jenkins → Buildkite")
    ]


def test_moderator_edits_a_records_texts_but_not_its_outcome(mod_client, member):
    decision = make_decision(author=member)
    record = save_decision_record(
        decision=decision, status=RecordStatus.PROPOSED, context="spam spam"
    )
    url = reverse("admin:changes_decisionrecord_change", args=[record.pk])
    response = mod_client.post(
        url,
        {
            "context": "Builds took too long.",
            "consequences": "",
            "outcome_text": "",
            "status": "deprecated",  # not a field for moderators: ignored
        },
    )
    assert response.status_code == 302
    record = DecisionRecord.objects.get(pk=record.pk)
    assert (record.context, record.status) == (
        "Builds took too long.",
        RecordStatus.PROPOSED,
    )
    assert _events(ModerationAction.EDIT) == [(str(decision), "Decision record edited")]


def test_moves_are_read_only_in_the_back_office(mod_client):
    page = mod_client.get(reverse("admin:changes_move_changelist"))
    assert page.status_code == 200
    assert mod_client.get(reverse("admin:changes_move_add")).status_code == 403
    assert (
        mod_client.get(reverse("admin:changes_draftdecision_changelist")).status_code
        == 403
    )


def test_a_superuser_deletes_a_company_with_rings_but_never_a_ring_alone(
    client, staff, member
):
    """Rings, records and moves go with what they describe; on their own
    pages they cannot be deleted, even by a superuser."""
    kafka = make_tool(name="Kafka")
    spam = make_company(name="Spam Inc", owner=member)
    item = make_item(stack=make_stack(company=spam), tool=kafka)
    entry = set_ring(item=item, ring=Ring.HOLD, actor=member)
    record = save_decision_record(
        decision=make_decision(author=member, chosen=[kafka]),
        status=RecordStatus.ACCEPTED,
    )
    sign_in_with_mfa(client, staff)

    for model, obj in [("radarentry", entry), ("decisionrecord", record)]:
        own = reverse(f"admin:changes_{model}_delete", args=[obj.pk])
        assert client.post(own, {"post": "yes"}).status_code == 403

    company_delete = reverse("admin:stacks_company_delete", args=[spam.pk])
    assert client.post(company_delete, {"post": "yes"}).status_code == 302
    assert not RadarEntry.objects.exists()
    assert DecisionRecord.objects.filter(pk=record.pk).exists()
    assert 'id="on-hold"' not in client.get(kafka.get_absolute_url()).content.decode()
