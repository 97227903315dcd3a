"""The growth lines of a comparison, walked back from today's counts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.tests.factories import make_member
from stackups.comparison import growth
from tools import services
from tools.models import ToolFollow
from tools.tests.factories import make_tool


def test_followers_line_counts_each_of_todays_followers_from_the_month_they_followed(
    db,
):
    """Follows from before the chart's first month count from its start;
    an unfollow takes its follower out of every month."""
    rust = make_tool(name="Rust")
    now = timezone.now()
    ages = {"old": 800, "spring": 100, "today": 0, "gone": 50}
    for name, days in ages.items():
        member = make_member(username=name)
        services.follow_tool(user=member, tool=rust)
        ToolFollow.objects.filter(user=member).update(
            created_at=now - timedelta(days=days)
        )
    gone = ToolFollow.objects.get(user__username="gone").user
    services.unfollow_tool(user=gone, tool=rust)
    rust.refresh_from_db()

    [line] = growth([rust], months=12)

    months = line.months
    first_with_spring = months.index(
        (timezone.localdate() - timedelta(days=100)).replace(day=1)
    )
    assert line.followers[-1] == 3 == rust.follower_count
    assert set(line.followers[:first_with_spring]) == {1}
    assert set(line.followers[first_with_spring:-1]) == {2}
