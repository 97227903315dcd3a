"""One thing's events on one day are one line of the feed, whole on one page."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest
from django.urls import reverse
from django.utils import timezone

from feeds.events import Reader, feed_page, item_headline
from feeds.events.groups import SHOWN_IN_A_LINE
from stacks.models import StackHistory
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_procon, make_tool

pytestmark = pytest.mark.django_db

# Within one day, whatever the hour the tests run at.
NOON_YESTERDAY = timezone.now().replace(hour=12, minute=0) - timedelta(days=1)


def at(minutes: int):
    return NOON_YESTERDAY + timedelta(minutes=minutes)


def date_changes(stack, minutes: int) -> None:
    StackHistory.objects.filter(stack=stack).update(created_at=at(minutes))


def test_a_large_import_is_one_line_and_leaves_the_page_to_the_rest():
    """Forty tools imported at once used to fill the page's twenty events
    and show as its only line."""
    for minute in range(5):
        older = make_tool(name=f"Older {minute}", created_at=at(-600))
        make_procon(tool=older, created_at=at(minute))
    imported = make_stack(
        name="Platform",
        company=make_company(name="Acme"),
        tools=[make_tool(name=f"Imported {n}", created_at=at(-600)) for n in range(40)],
    )
    date_changes(imported, 30)

    page = feed_page(Reader(user=None))

    stack_lines = [item for item in page.items if item.kind == "stack"]
    assert len(stack_lines) == 1
    assert stack_lines[0].count == 40
    assert len(stack_lines[0].rows) == SHOWN_IN_A_LINE
    # As Atom feeds and digests tell it.
    assert item_headline(stack_lines[0]).endswith(
        " Imported 28 in Platform (28 more changes)"
    )
    # The points come next, then the tools the catalog gained that morning.
    assert [item.kind for item in page.items[:6]] == ["stack", *["procon"] * 5]
    assert len(page.items) == 20


def test_the_feed_says_how_many_more_changes_a_line_holds(client):
    imported = make_stack(
        name="Data platform",
        company=make_company(name="Acme"),
        tools=[make_tool(name=f"Imported {n}") for n in range(15)],
    )
    date_changes(imported, 0)
    other_day = make_tool(name="Added another day")
    make_stack_change(imported, other_day, at(-24 * 60))
    content = client.get(reverse("feeds:feed")).content.decode()
    assert f"{15 - SHOWN_IN_A_LINE} more changes" in content
    # The chip opens that day's changes of the stack: all fifteen, and only them.
    day_url = reverse("stacks:history", args=[imported.slug])
    day_url += f"?day={NOON_YESTERDAY.date().isoformat()}"
    assert f'href="{day_url}"' in content
    day_page = client.get(day_url).content.decode()
    assert "15 changes on" in day_page
    assert all(f">Imported {n}</a>" in day_page for n in range(15))
    assert "Added another day" not in day_page


def test_each_line_comes_once_and_whole_across_pages():
    """A group sits where its newest event does: its older events, below
    another line's, do not come back as a line of their own on a later page."""
    first, second = make_stack(name="First"), make_stack(name="Second")
    older, newer = make_tool(name="Older"), make_tool(name="Newer")
    for stack in (first, second):
        make_stack_change(stack, older, at(10))
        make_stack_change(stack, newer, at(60 if stack == first else 30))
    # Newest first: First at 60 (with its change at 10), Second at 30 (and 10).
    lines, cursor = [], None
    while True:
        page = feed_page(Reader(user=None), cursor=cursor, size=1)
        lines += [item for item in page.items if item.kind == "stack"]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    changes = [(cast(StackHistory, line.first), line.count) for line in lines]
    assert [(change.stack.name, count) for change, count in changes] == [
        ("First", 2),
        ("Second", 2),
    ]


def make_stack_change(stack, tool, when) -> None:
    from stacks import services

    services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
    StackHistory.objects.filter(stack=stack, tool=tool).update(created_at=when)
