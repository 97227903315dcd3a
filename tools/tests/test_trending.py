"""Trending: the tools with the most new followers this month, read exactly
however the counting is cut short."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import make_member
from tools.models import Tool, ToolFollow
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db

SHOWN = 8  # the home page's eight


def everyone_annotated(limit: int = SHOWN) -> list[Tool]:
    """The order by definition: every tool annotated."""
    return list(
        Tool.objects.approved()  # type: ignore[misc]  # "trending" comes from with_trending(), unseen by django-stubs
        .with_trending()
        .order_by("-trending", "-follower_count", "name")[:limit]
    )


def new_followers(tools: list[Tool]) -> list[int]:
    return [tool.trending for tool in tools]  # type: ignore[attr-defined]  # annotated by most_trending


def follow(tools_and_counts, *, days_ago: int = 1) -> None:
    """Give each tool that many new followers, ``days_ago``."""
    members = [make_member() for _ in range(max(n for _, n in tools_and_counts))]
    when = timezone.now() - timedelta(days=days_ago)
    ToolFollow.objects.bulk_create(
        ToolFollow(user=member, tool=tool, created_at=when)
        for tool, n in tools_and_counts
        for member in members[:n]
    )


def test_more_tools_followed_than_counted_gives_the_first_by_new_followers():
    function = make_category()
    tools = [make_tool(function=function, follower_count=500 - i) for i in range(40)]
    follow([(tool, 1 + i % 13) for i, tool in enumerate(tools)])
    found = Tool.objects.approved().most_trending(SHOWN)
    assert found == everyone_annotated()
    assert new_followers(found)[:2] == [13, 13]


def test_a_tie_where_the_counting_stops_still_gives_the_exact_order():
    """Forty tools with one new follower each: which 32 were counted is
    arbitrary, so the most followed of all forty must still come first."""
    function = make_category()
    tools = [make_tool(function=function, follower_count=i) for i in range(40)]
    follow([(tool, 1) for tool in tools])
    found = Tool.objects.approved().most_trending(SHOWN)
    assert found == everyone_annotated()
    assert found[0].follower_count == 39


def test_a_quiet_month_ends_with_the_most_followed_tools():
    rising = make_tool(name="Rising", follower_count=1)
    quiet = [make_tool(follower_count=n) for n in (50, 40, 30)]
    old = make_tool(name="Old news", follower_count=5)
    follow([(rising, 2)])
    follow([(old, 9)], days_ago=45)
    found = Tool.objects.approved().most_trending(3)
    assert found == [rising, quiet[0], quiet[1]]
    assert new_followers(found) == [2, 0, 0]
    assert found == everyone_annotated(3)
