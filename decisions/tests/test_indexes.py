"""PostgreSQL reads the visible posts newest first, and counts them for the
list's pages, of either kind, off one partial index instead of the table."""

from __future__ import annotations

from decisions.models import Decision, DecisionKind


def test_visible_posts_are_listed_and_counted_off_their_index(query_plan):
    visible = Decision.objects.visible()
    newest = visible.newest()[:24]
    assert "decision_visible_newest" in query_plan(newest, disabled=("seqscan", "sort"))
    for counted in (visible, visible.filter(kind=DecisionKind.ADVICE)):
        assert "decision_visible_newest" in query_plan(counted.order_by().values("pk"))
