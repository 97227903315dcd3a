"""Each tool's standing (rings and outcomes counted ahead) stays equal to
what the live entries and records say, after every write that moves it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member, sign_in_with_mfa
from changes.models import DecisionRecord, Outcome, RadarEntry, ToolStanding
from changes.services import rebuild_standings, record_outcome, set_ring
from decisions import services as decision_services
from decisions.tests.factories import make_decision
from stacks import services as stack_services
from stacks.models import Ring
from stacks.tests.factories import make_company, make_item, make_stack
from tools.models import Tool
from tools.services import merge_tools
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db

COUNTS = ToolStanding.COUNTS
NAMES = {"hold": "on_hold", "trial": "in_trial"}


def live(tool: Tool) -> dict[str, int]:
    """The counts as the entries and records have them now."""
    rings = RadarEntry.objects.companies_per_ring([tool.pk])
    outcomes = DecisionRecord.objects.outcomes_per_tool([tool.pk])
    counted = {NAMES[ring]: companies for _tool, ring, companies in rings} | {
        outcome: posts for _tool, outcome, posts in outcomes
    }
    return {name: counted.get(name, 0) for name in COUNTS}


def kept(tool: Tool) -> dict[str, int]:
    row = ToolStanding.objects.filter(tool=tool).first() or ToolStanding()
    return {name: getattr(row, name) for name in COUNTS}


def assert_kept(tool: Tool, **expected: int) -> None:
    assert kept(tool) == live(tool) == {name: expected.get(name, 0) for name in COUNTS}


def test_rings_are_recounted_when_set_and_when_their_entries_go(member):
    kafka = make_tool(name="Kafka")
    acme, globex = make_company(name="Acme"), make_company(name="Globex")
    platform = make_stack(company=acme, name="Platform")
    data = make_stack(company=acme, name="Data")
    build = make_stack(company=globex, name="Build")
    items = {s.name: make_item(stack=s, tool=kafka) for s in (platform, data, build)}

    set_ring(item=items["Platform"], ring=Ring.HOLD, actor=member)
    set_ring(item=items["Data"], ring=Ring.HOLD, actor=member)
    assert_kept(kafka, on_hold=1)  # one company, however many of its stacks
    set_ring(item=items["Build"], ring=Ring.TRIAL, actor=member)
    assert_kept(kafka, on_hold=1, in_trial=1)

    stack_services.remove_tool_from_stack(stack=platform, tool=kafka, removed_by=member)
    assert_kept(kafka, on_hold=1, in_trial=1)  # Data still holds it
    set_ring(item=items["Data"], ring=Ring.ADOPT, actor=member)
    assert_kept(kafka, in_trial=1)
    stack_services.delete_stack(stack=build)
    assert_kept(kafka)


def test_outcomes_follow_the_posts_that_chose_the_tool(member):
    kafka, pulsar = make_tool(name="Kafka"), make_tool(name="Pulsar")
    worked = make_decision(author=member, chosen=[kafka])
    reverted = make_decision(author=member, chosen=[kafka], considered=[pulsar])
    make_decision(author=member, chosen=[kafka])  # no outcome yet
    for post, outcome in [(worked, Outcome.WORKED), (reverted, Outcome.REVERTED)]:
        record_outcome(decision=post, outcome=outcome, text="", recorded_by=member)
    assert_kept(kafka, worked=1, reverted=1)

    moderator = make_member(moderator=True)
    decision_services.hide_decision(decision=reverted, actor=moderator)
    assert_kept(kafka, worked=1)
    decision_services.restore_decision(decision=reverted, actor=moderator)
    assert_kept(kafka, worked=1, reverted=1)

    # Retagged: the outcome moves from the tool it no longer chose.
    decision_services.update_decision(
        decision=reverted,
        editor=member,
        title=reverted.title,
        body=reverted.body,
        chosen=[pulsar],
        considered=[kafka],
    )
    assert_kept(kafka, worked=1)
    assert_kept(pulsar, reverted=1)

    decision_services.delete_decision(decision=worked, actor=member)
    assert_kept(kafka)


def test_a_member_deleted_in_the_back_office_takes_their_rings_and_outcomes(
    client, staff, member
):
    leaving = make_member()
    kafka = make_tool(name="Kafka")
    theirs = make_stack(owner_user=None, company=make_company(owner=leaving))
    set_ring(item=make_item(stack=theirs, tool=kafka), ring=Ring.HOLD, actor=leaving)
    post = make_decision(author=leaving, chosen=[kafka])
    record_outcome(decision=post, outcome=Outcome.MIXED, text="", recorded_by=leaving)
    staying = make_decision(author=member, chosen=[kafka])
    record_outcome(
        decision=staying, outcome=Outcome.WORKED, text="", recorded_by=member
    )
    assert_kept(kafka, on_hold=1, worked=1, mixed=1)

    sign_in_with_mfa(client, staff)
    client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"}
    )
    # Their post goes with them; their company stays (with its stack).
    assert_kept(kafka, on_hold=1, worked=1)
    stack_services.delete_stack(stack=theirs)
    assert_kept(kafka, worked=1)


def test_a_merge_counts_for_its_target_and_a_deleted_tool_takes_its_row(member):
    kafka, duplicate = make_tool(name="Kafka"), make_tool(name="Apache Kafka")
    item = make_item(stack=make_stack(company=make_company()), tool=duplicate)
    set_ring(item=item, ring=Ring.TRIAL, actor=member)
    post = make_decision(author=member, chosen=[duplicate])
    record_outcome(decision=post, outcome=Outcome.WORKED, text="", recorded_by=member)

    merge_tools(source=duplicate, target=kafka, actor=member)
    assert_kept(kafka, in_trial=1, worked=1)

    kafka.delete()
    assert not ToolStanding.objects.exists()


def test_rebuilding_finds_what_bulk_writes_left_out(member):
    kafka = make_tool(name="Kafka")
    item = make_item(stack=make_stack(company=make_company()), tool=kafka)
    set_ring(item=item, ring=Ring.HOLD, actor=member)
    # As the benchmark's generator writes: past the services.
    RadarEntry.objects.filter(item=item).update(ring=Ring.TRIAL)
    ToolStanding.objects.update(on_hold=7)
    assert rebuild_standings() == 1
    assert_kept(kafka, in_trial=1)
