"""Moves derived from stack history, kept exact by the stack services."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from changes.models import DecisionMove, Move
from changes.services import declare_decision_moves, rebuild_moves
from decisions.tests.factories import make_decision
from stacks import services as stacks
from stacks.models import HistoryAction, Provenance, StackHistory
from stacks.tests.factories import make_stack
from tools.services import merge_tools
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues():
    function = make_category(name="Message queues")
    return {
        "rabbit": make_tool(name="RabbitMQ", function=function),
        "kafka": make_tool(name="Kafka", function=function),
        "sqs": make_tool(name="SQS", function=function),
        "redis": make_tool(name="Redis"),  # another function
    }


def at(days_ago: int):
    return timezone.now() - timedelta(days=days_ago)


def test_removal_after_addition_is_a_move(queues):
    """A stack that adds Kafka, then drops RabbitMQ months later, moved."""
    stack = make_stack(tools=[])
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["rabbit"], added_by=None, when=at(400)
    )
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["kafka"], added_by=None, when=at(200)
    )
    assert not Move.objects.exists()
    stacks.remove_tool_from_stack(
        stack=stack, tool=queues["rabbit"], removed_by=None, when=at(100)
    )
    move = Move.objects.get()
    assert (move.from_tool, move.to_tool, move.stack) == (
        queues["rabbit"],
        queues["kafka"],
        stack,
    )
    assert move.days == 100
    assert move.moved_at == move.left_at


def test_addition_after_removal_is_a_move(queues):
    stack = make_stack(tools=[queues["rabbit"]])
    stacks.remove_tool_from_stack(stack=stack, tool=queues["rabbit"], removed_by=None)
    stacks.add_tool_to_stack(stack=stack, tool=queues["sqs"], added_by=None)
    assert list(Move.objects.values_list("from_tool", "to_tool")) == [
        (queues["rabbit"].pk, queues["sqs"].pk)
    ]


def test_far_apart_other_function_or_other_stack_is_no_move(queues):
    """Events more than 180 days apart, of another function or in another
    stack do not make a move."""
    stack = make_stack(tools=[])
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["kafka"], added_by=None, when=at(400)
    )
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["rabbit"], added_by=None, when=at(390)
    )
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["redis"], added_by=None, when=at(10)
    )
    stacks.remove_tool_from_stack(
        stack=stack, tool=queues["rabbit"], removed_by=None, when=at(5)
    )
    other = make_stack(tools=[])
    stacks.add_tool_to_stack(stack=other, tool=queues["sqs"], added_by=None, when=at(4))
    assert not Move.objects.exists()


def test_events_recorded_out_of_order_keep_the_first_completed_pair(queues):
    """Back-dated history still yields the pair that completed first."""
    stack = make_stack(tools=[])
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["rabbit"], added_by=None, when=at(500)
    )
    stacks.remove_tool_from_stack(
        stack=stack, tool=queues["rabbit"], removed_by=None, when=at(100)
    )
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["kafka"], added_by=None, when=at(50)
    )
    assert Move.objects.get().days == 50
    stacks.remove_tool_from_stack(stack=stack, tool=queues["kafka"], removed_by=None)
    # A back-dated addition closer to the removal than the first one.
    stacks.add_tool_to_stack(
        stack=stack, tool=queues["kafka"], added_by=None, when=at(90)
    )
    assert Move.objects.filter(from_tool=queues["rabbit"]).get().days == 10
    assert rebuild_moves(dry_run=True).is_exact


def test_rebuild_reports_and_repairs_drift(queues):
    stack = make_stack(tools=[queues["rabbit"]])
    stacks.remove_tool_from_stack(stack=stack, tool=queues["rabbit"], removed_by=None)
    stacks.add_tool_to_stack(stack=stack, tool=queues["kafka"], added_by=None)
    Move.objects.all().delete()
    Move.objects.create(
        stack=stack,
        from_tool=queues["sqs"],
        to_tool=queues["kafka"],
        left_at=at(1),
        arrived_at=at(1),
        moved_at=at(1),
        days=0,
    )
    out = StringIO()
    call_command("rebuild_moves", "--dry-run", stdout=out)
    assert "1 missing, 1 extra, 0 changed" in out.getvalue()
    assert Move.objects.filter(from_tool=queues["sqs"]).exists()
    call_command("rebuild_moves", stdout=out)
    assert list(Move.objects.values_list("from_tool", "to_tool")) == [
        (queues["rabbit"].pk, queues["kafka"].pk)
    ]
    assert rebuild_moves(dry_run=True).is_exact


def test_deleting_a_stack_deletes_its_moves(queues):
    stack = make_stack(tools=[queues["rabbit"]])
    stacks.remove_tool_from_stack(stack=stack, tool=queues["rabbit"], removed_by=None)
    stacks.add_tool_to_stack(stack=stack, tool=queues["kafka"], added_by=None)
    stacks.delete_stack(stack=stack)
    assert not Move.objects.exists()


def test_merging_tools_rederives_moves(queues, staff):
    """After SQS is merged into Kafka, a move to SQS is a move to Kafka."""
    stack = make_stack(tools=[queues["rabbit"]])
    stacks.remove_tool_from_stack(stack=stack, tool=queues["rabbit"], removed_by=None)
    stacks.add_tool_to_stack(stack=stack, tool=queues["sqs"], added_by=None)
    merge_tools(source=queues["sqs"], target=queues["kafka"], actor=staff)
    assert list(Move.objects.values_list("from_tool", "to_tool")) == [
        (queues["rabbit"].pk, queues["kafka"].pk)
    ]


def test_declaring_a_decision_as_a_move_replaces_what_it_declared(queues):
    decision = make_decision(chosen=[queues["kafka"]])
    declare_decision_moves(
        decision=decision,
        from_tools=[queues["rabbit"], queues["sqs"]],
        to_tools=[queues["kafka"]],
        declared_by=decision.author,
    )
    assert DecisionMove.objects.filter(decision=decision).count() == 2
    declare_decision_moves(
        decision=decision,
        from_tools=[queues["rabbit"]],
        to_tools=[queues["kafka"], queues["rabbit"]],
        declared_by=decision.author,
    )
    assert list(
        DecisionMove.objects.filter(decision=decision).values_list(
            "from_tool", "to_tool"
        )
    ) == [(queues["rabbit"].pk, queues["kafka"].pk)]


def test_a_scans_not_seen_mark_or_a_ring_change_is_no_removal(queues):
    """Only additions and removals pair into moves, here and in the rebuild."""
    stack = make_stack(tools=[queues["rabbit"]])
    StackHistory.objects.create(
        stack=stack,
        tool=queues["rabbit"],
        tool_name="RabbitMQ",
        action=HistoryAction.NOT_SEEN,
        source=Provenance.DETECTED,
    )
    stacks.add_tool_to_stack(stack=stack, tool=queues["kafka"], added_by=None)
    assert not Move.objects.exists()
    assert rebuild_moves(dry_run=True).is_exact


STACKS_AT_ONCE = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_one_stack_keep_moves_exact(queues, at_once):
    """Each stack drops RabbitMQ while two requests add Kafka and SQS, all at
    the same instant: whichever commits first, the last one to commit sees
    the others' history, so both moves are there, once."""
    edits = []
    for _ in range(STACKS_AT_ONCE):
        stack = make_stack(tools=[queues["rabbit"]])
        edits += [
            lambda stack=stack: stacks.remove_tool_from_stack(
                stack=stack, tool=queues["rabbit"], removed_by=None
            ),
            lambda stack=stack: stacks.add_tool_to_stack(
                stack=stack, tool=queues["kafka"], added_by=None
            ),
            lambda stack=stack: stacks.add_tool_to_stack(
                stack=stack, tool=queues["sqs"], added_by=None
            ),
        ]
    assert not at_once(*edits)
    pairs = list(Move.objects.values_list("from_tool", "to_tool"))
    assert sorted(pairs) == sorted(
        [(queues["rabbit"].pk, queues["kafka"].pk)] * STACKS_AT_ONCE
        + [(queues["rabbit"].pk, queues["sqs"].pk)] * STACKS_AT_ONCE
    )
    assert rebuild_moves(dry_run=True).is_exact
