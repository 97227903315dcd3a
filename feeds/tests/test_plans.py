"""PostgreSQL reads the site-wide feed off indexes, however long the site's history."""

from __future__ import annotations

from feeds.events import Reader
from feeds.events.groups import read_lines
from feeds.events.sources import stack_change_items
from stacks.models import StackHistory
from stacks.services import add_tool_to_stack
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_tool


def test_the_site_wide_stack_changes_come_off_their_index(query_plan, member):
    """The newest additions and removals of every stack, without sorting
    all of them: 3.3 s at scale 1 (1.2 million events) before the index."""
    stack = make_stack(company=make_company(name="Lumenfold"))
    for _ in range(3):
        add_tool_to_stack(stack=stack, tool=make_tool(), added_by=member)
    items = read_lines(stack_change_items(Reader(user=None), None, 21))
    assert [item.count for item in items] == [3]  # one stack's changes, one line
    # The walk for the newest groups (feeds.events.groups). A handful of rows
    # is cheaper to sort: with the scans that need a sort turned off, the
    # plan names the index only if it gives the order.
    plan = query_plan(
        StackHistory.objects.membership()
        .order_by("-created_at", "-pk")
        .values_list("stack_id", "created_at", "pk")[:21],
        disabled=("seqscan", "bitmapscan"),
    )
    assert "stackhistory_membership_newest" in plan, plan
    assert "Sort" not in plan, plan
