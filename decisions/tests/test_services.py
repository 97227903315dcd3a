from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.models import ModerationAction, ModerationEvent
from accounts.services import SuspendedError, suspend_member
from accounts.tests.factories import make_member
from decisions import services
from decisions.models import (
    Comment,
    Decision,
    DecisionKind,
    DecisionTool,
    DecisionVote,
    Report,
    ReportReason,
    ReportStatus,
    ToolRole,
)
from decisions.tests.factories import make_comment, make_decision
from tools import services as tool_services
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


def test_create_decision_tags_chosen_and_considered_and_renders_markdown(member):
    """Tags keep their role and order; the body is stored rendered and sanitised."""
    flask, django, rust = (
        make_tool(name="Flask"),
        make_tool(name="Django"),
        make_tool(name="Rust"),
    )
    decision = services.create_decision(
        author=member,
        kind=DecisionKind.DECIDED,
        title="  Why   we stayed with Flask ",
        body="**Small** core <script>alert(1)</script>",
        chosen=[flask],
        considered=[django, rust],
    )
    assert decision.title == "Why we stayed with Flask"
    assert "<strong>Small</strong>" in decision.body_html
    assert "<script" not in decision.body_html
    tags = list(decision.tool_tags.order_by("role", "position"))
    assert [(t.tool.name, t.role) for t in tags] == [
        ("Flask", ToolRole.CHOSEN),
        ("Django", ToolRole.CONSIDERED),
        ("Rust", ToolRole.CONSIDERED),
    ]


@pytest.mark.parametrize(
    ("kind", "chosen", "considered", "message"),
    [
        (DecisionKind.DECIDED, 0, 0, "at least one tool"),
        (DecisionKind.DECIDED, 0, 2, "at least one tool you chose"),
        (DecisionKind.ADVICE, 1, 1, "only lists tools considered"),
        (DecisionKind.DECIDED, 6, 5, "at most 10"),
    ],
)
def test_create_decision_checks_its_tools(member, kind, chosen, considered, message):
    tools = [make_tool() for _ in range(chosen + considered)]
    with pytest.raises(ValidationError, match=message):
        services.create_decision(
            author=member,
            kind=kind,
            title="A title long enough",
            body="Body",
            chosen=tools[:chosen],
            considered=tools[chosen:],
        )
    assert not Decision.objects.exists()


def test_unapproved_and_repeated_tools_are_refused(member):
    pending = make_tool(status="pending")
    tool = make_tool()
    with pytest.raises(ValidationError, match="catalog"):
        services.create_decision(
            author=member,
            kind=DecisionKind.ADVICE,
            title="Question",
            body="?",
            considered=[pending],
        )
    with pytest.raises(ValidationError, match="once"):
        services.create_decision(
            author=member,
            kind=DecisionKind.DECIDED,
            title="Question",
            body="?",
            chosen=[tool],
            considered=[tool],
        )


def test_suspended_member_cannot_post_or_comment(member, moderator):
    decision = make_decision()
    suspend_member(member=member, actor=moderator, reason="Spam wave")
    assert ModerationEvent.objects.filter(action=ModerationAction.SUSPEND).count() == 1
    with pytest.raises(SuspendedError):
        make_decision(author=member)
    with pytest.raises(SuspendedError):
        make_comment(decision=decision, author=member)


def test_update_by_moderator_is_recorded_but_not_by_author(member, moderator):
    decision = make_decision(author=member)
    tool = decision.tools.get()
    services.update_decision(
        decision=decision,
        editor=member,
        title="New title here",
        body="New body",
        chosen=[tool],
    )
    assert not ModerationEvent.objects.exists()
    services.update_decision(
        decision=decision,
        editor=moderator,
        title="Fixed title",
        body="Fixed",
        chosen=[tool],
    )
    assert ModerationEvent.objects.get().action == ModerationAction.EDIT
    decision.refresh_from_db()
    assert decision.edited_at is not None
    assert decision.kind == DecisionKind.DECIDED


def test_reply_to_a_reply_joins_the_top_level_thread():
    """Replies are one level deep: answering a reply files under its parent."""
    decision = make_decision()
    top = make_comment(decision=decision)
    reply = make_comment(decision=decision, parent=top)
    nested = make_comment(decision=decision, parent=reply)
    assert nested.parent_id == top.pk
    decision.refresh_from_db()
    assert decision.comment_count == 3


def test_reply_to_a_comment_of_another_post_is_refused():
    first, second = make_decision(), make_decision()
    comment = make_comment(decision=first)
    with pytest.raises(ValidationError, match="another post"):
        make_comment(decision=second, parent=comment)


def test_comments_on_hidden_or_deleted_posts_are_refused(moderator):
    hidden, deleted = make_decision(), make_decision()
    services.hide_decision(decision=hidden, actor=moderator, reason="Spam")
    services.delete_decision(decision=deleted, actor=deleted.author)
    with pytest.raises(ValidationError, match="hidden"):
        make_comment(decision=hidden)
    with pytest.raises(ValidationError, match="deleted"):
        make_comment(decision=deleted)
    assert not Comment.objects.exists()


def test_comment_count_follows_deletes_hides_and_restores(moderator):
    decision = make_decision()
    first = make_comment(decision=decision)
    second = make_comment(decision=decision)

    def count():
        decision.refresh_from_db()
        return decision.comment_count

    assert count() == 2
    services.hide_comment(comment=first, actor=moderator, reason="Rude")
    services.hide_comment(comment=first, actor=moderator, reason="Twice")
    assert count() == 1
    services.restore_comment(comment=first, actor=moderator)
    assert count() == 2
    services.delete_comment(comment=second, actor=second.author)
    services.delete_comment(comment=second, actor=second.author)
    assert count() == 1
    second.refresh_from_db()
    assert second.body == ""
    assert second.is_deleted
    assert [e.action for e in ModerationEvent.objects.order_by("id")] == [
        ModerationAction.HIDE,
        ModerationAction.RESTORE,
    ]


def test_upvotes_count_each_member_once(member, other_member):
    decision = make_decision()
    for _ in range(2):
        services.upvote_decision(user=member, decision=decision)
    services.upvote_decision(user=other_member, decision=decision)
    decision.refresh_from_db()
    assert decision.upvote_count == 2
    services.withdraw_upvote(user=member, decision=decision)
    services.withdraw_upvote(user=member, decision=decision)
    decision.refresh_from_db()
    assert decision.upvote_count == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_upvotes_from_one_member_count_once(at_once):
    """Four clicks at the same moment leave one vote and a count of one.

    The unique constraint refuses the other rows; the counter only moves
    with a row that was really inserted.
    """
    voter = make_member()
    decision = make_decision()

    def click():
        services.upvote_decision(user=voter, decision=decision)

    assert not at_once(click, click, click, click)
    decision.refresh_from_db()
    assert DecisionVote.objects.filter(decision=decision).count() == 1
    assert decision.upvote_count == 1


def test_views_count_once_per_visitor_per_day(django_assert_num_queries):
    decision = make_decision()
    with django_assert_num_queries(1):  # the UPDATE
        assert services.count_decision_view(decision_id=decision.pk, visitor="u1")
    with django_assert_num_queries(0):
        assert not services.count_decision_view(decision_id=decision.pk, visitor="u1")
    assert services.count_decision_view(decision_id=decision.pk, visitor="u2")
    decision.refresh_from_db()
    assert decision.view_count == 2
    cache.clear()  # as at midnight, when the keys expire
    assert services.count_decision_view(decision_id=decision.pk, visitor="u1")


def test_report_once_then_hide_resolves_and_records(member, moderator):
    decision = make_decision()
    report, created = services.report_content(
        reporter=member, reason=ReportReason.SPAM, decision=decision
    )
    again, created_again = services.report_content(
        reporter=member, reason=ReportReason.ABUSE, decision=decision
    )
    assert created
    assert not created_again
    assert again.pk == report.pk
    services.hide_decision(decision=decision, actor=moderator, reason="Advertising")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACTIONED
    assert report.resolved_by == moderator
    event = ModerationEvent.objects.get()
    assert (event.action, event.reason, event.actor) == (
        ModerationAction.HIDE,
        "Advertising",
        moderator,
    )
    assert not Decision.objects.visible().filter(pk=decision.pk).exists()
    services.restore_decision(decision=decision, actor=moderator, reason="Appeal")
    assert Decision.objects.visible().filter(pk=decision.pk).exists()
    decision.refresh_from_db()
    assert decision.hidden_reason == ""


def test_dismissed_report_leaves_content_alone(member, moderator):
    comment = make_comment(decision=make_decision())
    report, _ = services.report_content(
        reporter=member, reason=ReportReason.OTHER, comment=comment
    )
    services.dismiss_report(report=report, actor=moderator)
    report.refresh_from_db()
    comment.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED
    assert not comment.is_hidden
    # A new open report is possible once the old one is closed.
    _, created = services.report_content(
        reporter=member, reason=ReportReason.OTHER, comment=comment
    )
    assert created
    assert Report.objects.count() == 2


def test_merging_tools_moves_decision_tags_without_duplicates(moderator):
    """A post tagging both tools keeps one tag; "chosen" wins over "considered"."""
    postgres, postgresql, other = (
        make_tool(name="Postgres"),
        make_tool(name="PostgreSQL"),
        make_tool(name="MySQL"),
    )
    both = make_decision(chosen=[postgres], considered=[postgresql, other])
    only_source = make_decision(kind=DecisionKind.ADVICE, considered=[postgres])
    tool_services.merge_tools(source=postgres, target=postgresql, actor=moderator)
    assert sorted(both.tool_tags.values_list("tool__name", "role")) == [
        ("MySQL", ToolRole.CONSIDERED),
        ("PostgreSQL", ToolRole.CHOSEN),
    ]
    assert list(only_source.tool_tags.values_list("tool__name", flat=True)) == [
        "PostgreSQL"
    ]
    assert DecisionTool.objects.count() == 3


def test_tagging_any_puts_posts_tagging_several_tools_first():
    flask, rust, go = (
        make_tool(name="Flask"),
        make_tool(name="Rust"),
        make_tool(name="Go"),
    )
    one = make_decision(chosen=[flask])
    both = make_decision(chosen=[rust], considered=[flask])
    make_decision(chosen=[go])
    newer = make_decision(chosen=[rust])
    found = list(Decision.objects.visible().tagging_any([flask, rust]))
    assert found[0] == both
    assert set(found[1:]) == {one, newer}
    assert found[1] == newer  # newest first among equals
    # Annotated by tagging_any(), which django-stubs cannot follow.
    assert found[0].shared_tools == 2  # type: ignore[attr-defined]


def test_author_cannot_upvote_their_own_post(member, other_member):
    """A self-upvote is refused and counts nothing; others' upvotes still count."""
    decision = make_decision(author=member)
    with pytest.raises(ValidationError, match="your own post"):
        services.upvote_decision(user=member, decision=decision)
    services.upvote_decision(user=other_member, decision=decision)
    services.withdraw_upvote(user=member, decision=decision)
    decision.refresh_from_db()
    assert decision.upvote_count == 1
    assert list(DecisionVote.objects.values_list("user", flat=True)) == [
        other_member.pk
    ]


def test_suspended_member_cannot_upvote(member, moderator):
    decision = make_decision()
    suspend_member(member=member, actor=moderator)
    with pytest.raises(SuspendedError):
        services.upvote_decision(user=member, decision=decision)
    decision.refresh_from_db()
    assert decision.upvote_count == 0


def test_moderators_deletes_and_dismissals_are_recorded_as_what_they_were(
    member, moderator
):
    """A moderator deleting someone's post or comment is recorded as a
    deletion (not a hide), and a dismissed report leaves a trail too."""
    decision = make_decision(author=member)
    comment = make_comment(decision=decision)
    report, _ = services.report_content(
        reporter=member, reason=ReportReason.SPAM, comment=comment
    )
    services.dismiss_report(report=report, actor=moderator)
    services.dismiss_report(report=report, actor=moderator)
    services.delete_comment(comment=comment, actor=moderator)
    services.delete_decision(decision=decision, actor=moderator)
    events = ModerationEvent.objects.order_by("id")
    assert [(e.action, e.actor) for e in events] == [
        (ModerationAction.DISMISS, moderator),
        (ModerationAction.DELETE, moderator),
        (ModerationAction.DELETE, moderator),
    ]
