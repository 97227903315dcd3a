"""Query budgets of the changes app's pages: a fixed number of queries,
however many tools, rings, decisions or drafts there are.

Each page is read twice, the second time with more of what it lists; both
reads must stay within the same budget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changes.models import DraftDecision, RecordStatus
from changes.services import declare_decision_moves, save_decision_record, set_ring
from decisions.tests.factories import make_decision
from stacks.models import Ring
from stacks.tests.factories import make_company, make_item, make_stack
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


def queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = read()
    assert response.status_code == 200, response.status_code
    return len(captured)


@pytest.fixture
def acme(member):
    company = make_company(name="Acme", owner=member)
    stack = make_stack(company=company, name="Platform")
    return {"company": company, "stack": stack, "function": make_category(name="CI")}


def grow_radar(acme, member, n: int) -> None:
    for _ in range(n):
        item = make_item(stack=acme["stack"], tool=make_tool(function=acme["function"]))
        set_ring(item=item, ring=Ring.TRIAL, reason="On one team", actor=member)


def budget(read, grow, expected: int) -> None:
    first = queries(read)
    grow()
    second = queries(read)
    assert (first, second) == (expected, expected)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_radar_exports(client, acme, member, fmt):
    grow_radar(acme, member, 2)
    url = reverse(f"changes:radar_{fmt}", args=["acme"])
    # company, layers, entries with ring and path, recent ring changes
    budget(lambda: client.get(url), lambda: grow_radar(acme, member, 5), 4)


def test_radar_page_for_an_editor(client, acme, member):
    """The editor's page carries a ring form per entry, from the same rows."""
    grow_radar(acme, member, 2)
    client.force_login(member)
    url = reverse("changes:radar", args=["acme"])
    # session, member, company, editing membership, then the reader's four
    budget(lambda: client.get(url), lambda: grow_radar(acme, member, 5), 7)


def test_stack_page_with_ring_changes_in_its_history(client, acme, member):
    grow_radar(acme, member, 2)
    url = acme["stack"].get_absolute_url()
    # the stack, its entries, its history (ring changes with who and why)
    budget(lambda: client.get(url), lambda: grow_radar(acme, member, 5), 3)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # session and member, then the decision and what its form offers
        ("decision_record", 5),
        ("decision_outcome", 5),
        ("decision_migration", 7),
    ],
)
def test_decision_forms(client, member, name, expected):
    tools = [make_tool() for _ in range(2)]
    decision = make_decision(author=member, chosen=tools[:1], considered=tools[1:])
    save_decision_record(decision=decision, status=RecordStatus.ACCEPTED)
    client.force_login(member)

    def grow():
        for _ in range(4):
            make_decision(author=member)
        for tool in [make_tool() for _ in range(3)]:
            decision.tool_tags.create(tool=tool, role="considered")

    url = reverse(f"changes:{name}", args=[decision.pk])
    budget(lambda: client.get(url), grow, expected)


def test_decision_adr_export(client, member):
    old, new = make_tool(), make_tool()
    decision = make_decision(author=member, chosen=[new], considered=[old])
    save_decision_record(decision=decision, status=RecordStatus.ACCEPTED)
    declare_decision_moves(
        decision=decision, from_tools=[old], to_tools=[new], declared_by=member
    )
    url = reverse("changes:decision_adr", args=[decision.pk])

    def grow():
        for _ in range(3):
            earlier = make_decision(author=member)
            save_decision_record(
                decision=earlier, status=RecordStatus.ACCEPTED, superseded_by=decision
            )

    # the decision with its tools, its record and those it supersedes
    budget(lambda: client.get(url), grow, 3)


def test_draft_list(client, acme, member):
    client.force_login(member)
    make_item(stack=acme["stack"], tool=make_tool(name="PostgreSQL"))

    def grow():
        for n in range(3):
            DraftDecision.objects.create(
                company=acme["company"],
                path=f"docs/adr/{DraftDecision.objects.count() + n:04d}.md",
                title="Use PostgreSQL",
            )
            make_item(stack=acme["stack"], tool=make_tool())

    grow()
    url = reverse("changes:drafts", args=["acme"])
    # session, member, company, editing membership, drafts, the company's tools
    budget(lambda: client.get(url), grow, 6)


def test_member_draft_list(client, member):
    client.force_login(member)
    stack = make_stack(owner_user=member)
    make_item(stack=stack, tool=make_tool(name="PostgreSQL"))

    def grow():
        for n in range(3):
            DraftDecision.objects.create(
                owner_user=member,
                path=f"docs/adr/{DraftDecision.objects.count() + n:04d}.md",
                title="Use PostgreSQL",
            )
            make_item(stack=stack, tool=make_tool())

    grow()
    # session, member, drafts, the member's tools
    budget(lambda: client.get(reverse("changes:member_drafts")), grow, 4)
