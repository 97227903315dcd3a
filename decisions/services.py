"""Writes to decisions: posting, editing, comments, upvotes, views, reports, moderation.

Counters on a post move in the same transaction as the row that justifies
them, and only when a row really changed state (conditional UPDATEs), so
two clicks or two moderators at once never count twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import ModerationAction, User, member_version
from accounts.services import (
    add_once,
    check_can_write,
    record_moderation,
    remove_rows,
)
from decisions.models import (
    MAX_TOOLS,
    Comment,
    Decision,
    DecisionKind,
    DecisionTool,
    DecisionVote,
    Report,
    ReportReason,
    ReportStatus,
    ToolRole,
    decision_page_version,
)
from decisions.signals import post_changed
from stacks.models import employer_of
from stacks.services import company_changed
from stackshare import viewcounts
from stackshare.caching import FOUND, bump
from stackshare.markdown import render_markdown
from tools.models import Tool


def _check_tools(
    *, kind: str, chosen: Sequence[Tool], considered: Sequence[Tool]
) -> None:
    tools = [*chosen, *considered]
    if not tools:
        raise ValidationError("Tag at least one tool.")
    if len(tools) > MAX_TOOLS:
        raise ValidationError(f"Tag at most {MAX_TOOLS} tools.")
    if len({tool.pk for tool in tools}) != len(tools):
        raise ValidationError("Each tool can be tagged once.")
    if kind == DecisionKind.DECIDED and not chosen:
        raise ValidationError("A decision names at least one tool you chose.")
    if kind == DecisionKind.ADVICE and chosen:
        raise ValidationError("A request for advice only lists tools considered.")
    if any(not tool.is_approved for tool in tools):
        raise ValidationError("Only tools of the catalog can be tagged.")


def _set_tags(
    decision: Decision, *, chosen: Sequence[Tool], considered: Sequence[Tool]
) -> None:
    DecisionTool.objects.filter(decision=decision).delete()
    DecisionTool.objects.bulk_create(
        [
            DecisionTool(decision=decision, tool=tool, role=role, position=position)
            for role, tools in (
                (ToolRole.CHOSEN, chosen),
                (ToolRole.CONSIDERED, considered),
            )
            for position, tool in enumerate(tools)
        ]
    )


@transaction.atomic
def create_decision(
    *,
    author: User,
    kind: DecisionKind,
    title: str,
    body: str,
    chosen: Sequence[Tool] = (),
    considered: Sequence[Tool] = (),
) -> Decision:
    """Publish a decision or a request for advice with its tagged tools."""
    check_can_write(user=author)
    _check_tools(kind=kind, chosen=chosen, considered=considered)
    decision = Decision.objects.create(
        author=author,
        company=employer_of(author),
        kind=kind,
        title=" ".join(title.split()),
        body=body,
        body_html=render_markdown(body),
    )
    _set_tags(decision, chosen=chosen, considered=considered)
    _post_rewritten(decision.pk)
    return decision


@transaction.atomic
def update_decision(
    *,
    decision: Decision,
    editor: User,
    title: str,
    body: str,
    chosen: Sequence[Tool] = (),
    considered: Sequence[Tool] = (),
) -> Decision:
    """Change a post's text and tags; the kind stays what it was.

    The caller has checked that ``editor`` may edit (author or moderator);
    a moderator's edit of someone else's post is recorded.
    """
    check_can_write(user=editor)
    _check_tools(kind=decision.kind, chosen=chosen, considered=considered)
    # The tools it tagged before the edit lose its card too, and those it
    # chose its outcome.
    before = list(decision.tool_tags.values_list("tool__slug", "tool", "role"))
    bump(tools=[slug for slug, _tool, _role in before], lists=True)
    chosen_before = [tool for _slug, tool, role in before if role == ToolRole.CHOSEN]
    decision.title = " ".join(title.split())
    decision.body = body
    decision.body_html = render_markdown(body)
    decision.edited_at = timezone.now()
    decision.save(
        update_fields=["title", "body", "body_html", "edited_at", "updated_at"]
    )
    _set_tags(decision, chosen=chosen, considered=considered)
    _post_rewritten(decision.pk, tools_before=chosen_before)
    if editor.pk != decision.author_id:
        record_moderation(actor=editor, action=ModerationAction.EDIT, target=decision)
    return decision


@transaction.atomic
def delete_decision(*, decision: Decision, actor: User) -> None:
    """Take a post down for good; it leaves every list and page at once.

    The row stays (reports and the audit trail point at it) but its text is
    dropped, as its author asked.
    """
    Decision.objects.filter(pk=decision.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), body="", body_html=""
    )
    if actor.pk != decision.author_id:
        record_moderation(actor=actor, action=ModerationAction.DELETE, target=decision)
    _post_rewritten(decision.pk)
    decision.refresh_from_db()


def _post_rewritten(decision_id: int, *, tools_before: Sequence[int] = ()) -> None:
    """The post was written, edited, hidden, restored or deleted: besides its
    pages (``_post_changed``), what other apps count of posts moves
    (``decisions.signals.post_changed``; ``tools_before`` are the tools it
    chose before an edit of its tags)."""
    post_changed.send(
        sender=Decision, decision_id=decision_id, tools_before=list(tools_before)
    )
    bump(FOUND)  # what search finds of it; votes and comments leave it be
    _post_changed(decision_id)


def _post_changed(decision_id: int) -> None:
    """The post's page and its cards (on its tools' pages, its company's page,
    the home page and its readers' feeds) change.

    Cached pages (stackshare.caching) built on them are skipped once the
    transaction commits, so readers see the change at once.
    """
    bump(tools=_tagged_slugs(decision_id), lists=True)
    author_id, company_id = (
        Decision.objects.filter(pk=decision_id).values_list("author", "company").get()
    )
    # The author's followers see the post in their feeds.
    bump(decision_page_version(decision_id), member_version(author_id))
    if company_id is not None:
        company_changed(company_ids=[company_id])


def _tagged_slugs(decision_id: int) -> list[str]:
    return list(
        DecisionTool.objects.filter(decision_id=decision_id).values_list(
            "tool__slug", flat=True
        )
    )


def _live_decision(decision_id: int) -> Decision:
    """The post, locked; comments and votes are refused on a removed one."""
    decision = Decision.objects.select_for_update().get(pk=decision_id)
    if decision.is_deleted:
        raise ValidationError("This post was deleted, so it takes no more comments.")
    if decision.is_hidden:
        raise ValidationError(
            "This post was hidden by a moderator, so it takes no more comments."
        )
    return decision


@transaction.atomic
def add_comment(
    *, decision: Decision, author: User, body: str, parent: Comment | None = None
) -> Comment:
    """Comment on a post, or reply to a comment.

    Replies are one level deep: a reply to a reply joins the thread of the
    top-level comment it answers, so no conversation is refused.
    """
    check_can_write(user=author)
    if not body.strip():
        raise ValidationError("Write something before posting your comment.")
    live = _live_decision(decision.pk)
    if parent is not None:
        if parent.decision_id != live.pk:
            raise ValidationError("That comment belongs to another post.")
        if parent.parent_id is not None:
            parent = parent.parent
        if parent is not None and parent.is_removed:
            raise ValidationError("That comment was removed, so it takes no replies.")
    comment = Comment.objects.create(
        decision=live,
        parent=parent,
        author=author,
        body=body,
        body_html=render_markdown(body),
    )
    Decision.objects.filter(pk=live.pk).update(comment_count=F("comment_count") + 1)
    _post_changed(live.pk)
    return comment


@transaction.atomic
def delete_comment(*, comment: Comment, actor: User) -> None:
    """Delete a comment. Its replies stay, under a "[deleted]" placeholder."""
    if (
        Comment.objects.filter(pk=comment.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), body="", body_html=""
        )
        and not comment.is_hidden
    ):
        Decision.objects.filter(pk=comment.decision_id).update(
            comment_count=F("comment_count") - 1
        )
    if actor.pk != comment.author_id:
        record_moderation(actor=actor, action=ModerationAction.DELETE, target=comment)
    _post_changed(comment.decision_id)
    comment.refresh_from_db()


@transaction.atomic
def take_out_member(*, member: User) -> None:
    """Before a member is deleted (a cascade takes their posts, comments
    and upvotes): take back their upvotes, count the comments that go with
    them out of their posts' comment counts (a reply goes with the comment
    it answers), and move the pages their posts showed on."""
    for decision in Decision.objects.filter(votes__user=member):
        withdraw_upvote(user=member, decision=decision)
    commented = set(
        Comment.objects.filter(author=member).values_list("decision_id", flat=True)
    )
    for decision_id in commented:
        remaining = (
            Comment.objects.visible()
            .filter(decision_id=decision_id)
            .exclude(author=member)
            .exclude(parent__author=member)
            .count()
        )
        Decision.objects.filter(pk=decision_id).update(comment_count=remaining)
        _post_changed(decision_id)
    for decision_id in Decision.objects.filter(author=member).values_list(
        "pk", flat=True
    ):
        _post_changed(decision_id)


@transaction.atomic
def upvote_decision(*, user: User, decision: Decision) -> None:
    """Upvote a post once; a second upvote is a no-op. Its author cannot upvote it."""
    check_can_write(user=user)
    if user.pk == decision.author_id:
        raise ValidationError("You cannot upvote your own post.")
    if not add_once(DecisionVote, user=user, decision=decision):
        return
    _post_changed(decision.pk)
    Decision.objects.filter(pk=decision.pk).update(upvote_count=F("upvote_count") + 1)


@transaction.atomic
def withdraw_upvote(*, user: User, decision: Decision) -> None:
    """Take an upvote back; a no-op when there is none."""
    deleted = remove_rows(DecisionVote, user=user, decision=decision)
    if deleted:
        _post_changed(decision.pk)
        Decision.objects.filter(pk=decision.pk).update(
            upvote_count=F("upvote_count") - deleted
        )


def count_decision_view(*, decision_id: int, visitor: str) -> bool:
    """Count one view per visitor per post per day (stackshare.viewcounts);
    True when it counted."""
    return bool(
        viewcounts.count_view(
            subject=f"decision:{decision_id}",
            visitor=visitor,
            rows=Decision.objects.filter(pk=decision_id),
        )
    )


@transaction.atomic
def report_content(
    *,
    reporter: User,
    reason: ReportReason,
    details: str = "",
    decision: Decision | None = None,
    comment: Comment | None = None,
) -> tuple[Report, bool]:
    """File a report for moderators; the same member's open report is not repeated.

    Returns the report and whether it is new.
    """
    if (decision is None) == (comment is None):
        raise ValueError("Report exactly one post or comment.")
    existing = Report.objects.open().filter(
        reporter=reporter, decision=decision, comment=comment
    )
    found = existing.first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter,
                reason=reason,
                details=details.strip(),
                decision=decision,
                comment=comment,
            )
    except IntegrityError:
        return existing.get(), False
    return report, True


def _resolve_reports(
    *,
    actor: User,
    status: ReportStatus,
    decision: Decision | None = None,
    comment: Comment | None = None,
) -> int:
    reports = Report.objects.open()
    reports = (
        reports.filter(decision=decision)
        if decision
        else reports.filter(comment=comment)
    )
    return reports.update(status=status, resolved_by=actor, resolved_at=timezone.now())


@transaction.atomic
def hide_decision(*, decision: Decision, actor: User, reason: str = "") -> Decision:
    """Hide a post from everyone but its author and moderators; its open reports close."""
    changed = Decision.objects.filter(pk=decision.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=reason[:500]
    )
    if changed:
        record_moderation(
            actor=actor, action=ModerationAction.HIDE, target=decision, reason=reason
        )
    _resolve_reports(actor=actor, status=ReportStatus.ACTIONED, decision=decision)
    decision.refresh_from_db()
    _post_rewritten(decision.pk)
    return decision


@transaction.atomic
def restore_decision(*, decision: Decision, actor: User, reason: str = "") -> Decision:
    """Show a hidden post to readers again."""
    changed = Decision.objects.filter(pk=decision.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason=""
    )
    if changed:
        record_moderation(
            actor=actor, action=ModerationAction.RESTORE, target=decision, reason=reason
        )
    decision.refresh_from_db()
    _post_rewritten(decision.pk)
    return decision


@transaction.atomic
def hide_comment(*, comment: Comment, actor: User, reason: str = "") -> Comment:
    """Hide a comment from readers; the post's comment count drops with it."""
    changed = Comment.objects.filter(pk=comment.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=reason[:500]
    )
    if changed:
        if not comment.is_deleted:
            Decision.objects.filter(pk=comment.decision_id).update(
                comment_count=F("comment_count") - 1
            )
        record_moderation(
            actor=actor, action=ModerationAction.HIDE, target=comment, reason=reason
        )
    _resolve_reports(actor=actor, status=ReportStatus.ACTIONED, comment=comment)
    comment.refresh_from_db()
    _post_changed(comment.decision_id)
    return comment


@transaction.atomic
def restore_comment(*, comment: Comment, actor: User, reason: str = "") -> Comment:
    """Show a hidden comment again."""
    changed = Comment.objects.filter(pk=comment.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason=""
    )
    if changed:
        if not comment.is_deleted:
            Decision.objects.filter(pk=comment.decision_id).update(
                comment_count=F("comment_count") + 1
            )
        record_moderation(
            actor=actor, action=ModerationAction.RESTORE, target=comment, reason=reason
        )
    comment.refresh_from_db()
    _post_changed(comment.decision_id)
    return comment


@transaction.atomic
def dismiss_report(*, report: Report, actor: User) -> Report:
    """Close a report without acting on the content; recorded in the audit
    trail like any moderation action."""
    if Report.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
        status=ReportStatus.DISMISSED, resolved_by=actor, resolved_at=timezone.now()
    ):
        record_moderation(actor=actor, action=ModerationAction.DISMISS, target=report)
    report.refresh_from_db()
    return report


@transaction.atomic
def move_decision_tags(*, source: Tool, target: Tool) -> None:
    """A merged tool's tags move to the survivor, never twice on one post.

    Where a post tagged both, one tag stays; "chosen" wins over "considered".
    """
    for tag in DecisionTool.objects.filter(tool=source).select_for_update():
        twin = DecisionTool.objects.filter(
            decision_id=tag.decision_id, tool=target
        ).first()
        if twin is None:
            DecisionTool.objects.filter(pk=tag.pk).update(tool=target)
            continue
        if tag.role == ToolRole.CHOSEN and twin.role != ToolRole.CHOSEN:
            DecisionTool.objects.filter(pk=twin.pk).update(role=ToolRole.CHOSEN)
        tag.delete()
