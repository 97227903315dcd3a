"""The feed's sources: each turns one table into feed items older than a position, with why the reader sees them."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from changes.models import DecisionRecord
from decisions.models import Decision, DecisionQuerySet, DecisionTool
from feeds.events.groups import grouped_items, older_than
from feeds.events.items import FeedItem, Position
from feeds.events.readers import Reader
from stacks.models import Stack, StackHistory
from tools.models import ProCon, Tool


def procon_items(reader: Reader, before: Position | None, limit: int) -> list[FeedItem]:
    """New pros and cons on the tools the reader follows (or on any tool)."""
    rows = ProCon.objects.visible().filter(tool__status="approved")
    if not reader.is_site_wide:
        rows = (
            rows.filter(tool__in=reader.followed_tools)
            .exclude(tool__in=reader.muted_tools)
            .exclude(author__in=reader.muted_members)
        )
    return grouped_items(
        rows.select_related("tool", "author"),
        "procon",
        before,
        limit,
        by="tool_id",
        reason=lambda row: reader_reason(reader, tool_id=row.tool_id),
    )


def new_tool_items(
    reader: Reader, before: Position | None, limit: int
) -> list[FeedItem]:
    """Tools newly approved into followed categories (or anywhere)."""
    rows = Tool.objects.approved()
    if not reader.is_site_wide:
        if not reader.followed_categories:
            return []
        followed = list(reader.followed_categories)
        rows = rows.filter(
            Q(function__in=followed)
            | Q(function__parent__in=followed)
            | Q(function__parent__parent__in=followed)
        ).exclude(pk__in=reader.muted_tools)
    return grouped_items(
        rows.select_related("function__parent"),
        "tool",
        before,
        limit,
        by="function_id",
        reason=lambda row: "" if reader.is_site_wide else reader.category_reason(row),
    )


def followed_decisions(reader: Reader) -> list[DecisionQuerySet]:
    """The posts the reader would see, one queryset per reason: by followed
    members or companies, and tagging a followed tool; minus what the reader
    muted (every post, site-wide). Empty when the reader follows nothing that
    posts.

    The reasons stay apart because under one OR PostgreSQL hashes every tag
    of every followed tool before it reads the first post (120k tags for a
    member who follows 200 tools, 50 ms); apart, each walks the newest posts
    and stops at a page."""
    rows = Decision.objects.visible()
    if reader.is_site_wide:
        return [rows]
    rows = rows.exclude(author__in=reader.muted_members)
    if reader.muted_companies:
        rows = rows.exclude(company__in=reader.muted_companies)
    if reader.muted_tools:
        rows = rows.exclude(
            Exists(
                DecisionTool.objects.filter(
                    decision=OuterRef("pk"), tool__in=reader.muted_tools
                )
            )
        )
    reasons = []
    if reader.followed_members or reader.followed_companies:
        reasons.append(
            rows.filter(
                Q(author__in=reader.followed_members)
                | Q(company__in=reader.followed_companies)
            )
        )
    if reader.followed_tools:
        reasons.append(
            rows.filter(
                Exists(
                    DecisionTool.objects.filter(
                        decision=OuterRef("pk"), tool__in=reader.followed_tools
                    )
                )
            )
        )
    return reasons


def newest_of[Rows: QuerySet[Any]](
    everything: Rows, reasons: list[Rows], limit: int
) -> Rows:
    """The rows among the newest ``limit`` of any of the reasons (querysets
    with a ``created_at``), each reason read apart (see followed_decisions)
    and the pages merged: a row may have more than one reason."""
    if len(reasons) == 1:
        return reasons[0]
    newest = heapq.merge(
        *(
            reason.order_by("-created_at", "-pk").values_list("created_at", "pk")[
                :limit
            ]
            for reason in reasons
        ),
        reverse=True,
    )
    return everything.filter(pk__in=list(dict.fromkeys(pk for _, pk in newest))[:limit])


def decision_items(
    reader: Reader, before: Position | None, limit: int
) -> list[FeedItem]:
    """Posts by followed members or tagging a followed tool (or any post)."""
    reasons = [
        older_than(rows, "decision", before) for rows in followed_decisions(reader)
    ]
    if not reasons:
        return []
    rows = newest_of(Decision.objects.all(), reasons, limit).with_cards()
    return [
        FeedItem(
            kind="decision",
            at=row.created_at,
            key=row.pk,
            rows=[row],
            reason=decision_reason(reader, row),
        )
        for row in rows.order_by("-created_at", "-pk")[:limit]
    ]


def outcome_items(
    reader: Reader, before: Position | None, limit: int
) -> list[FeedItem]:
    """How the decisions the reader would see turned out (changes app)."""
    outcomes = DecisionRecord.objects.exclude(outcome="").annotate(
        created_at=F("outcome_at")
    )
    reasons = [
        older_than(outcomes.filter(decision__in=decisions), "outcome", before)
        for decisions in followed_decisions(reader)
    ]
    if not reasons:
        return []
    rows = newest_of(outcomes, reasons, limit).select_related(
        "decision__author", "outcome_by"
    )
    return [
        FeedItem(
            kind="outcome",
            at=row.outcome_at,  # type: ignore[arg-type]  # set with every outcome; the outcome filter is not a type
            key=row.pk,
            rows=[row],
            reason=decision_reason(reader, row.decision),
        )
        for row in rows.prefetch_related("decision__tool_tags").order_by(
            "-outcome_at", "-pk"
        )[:limit]
    ]


def decision_reason(reader: Reader, decision: Decision) -> str:
    """Why a post is in the feed: its author first, else a tool it tags."""
    if reader.is_site_wide:
        return ""
    if decision.author_id in reader.followed_members:
        return f"because you follow {reader.followed_members[decision.author_id]}"
    if decision.company_id in reader.followed_companies:
        return f"because you follow {reader.followed_companies[decision.company_id]}"
    for tag in decision.tool_tags.all():
        if tag.tool_id in reader.followed_tools:
            return reader_reason(reader, tool_id=tag.tool_id)
    return ""


def stack_change_items(
    reader: Reader, before: Position | None, limit: int
) -> list[FeedItem]:
    """Tools added to or removed from the stacks of followed companies, and
    by followed members (their own stacks and their companies'); one stack's
    changes on one day are one item. Only additions and removals: a scan's
    "not seen" and a ring change leave the stack's list as it was."""
    rows = StackHistory.objects.membership()
    if not reader.is_site_wide:
        if not (reader.followed_companies or reader.followed_members):
            return []
        # The followed stacks are read first, as ids. Joined to them, the
        # changes were found by walking every stack's newest ones for the
        # followed stacks' (20 ms for a reader of fifty companies at scale
        # 1); by id, PostgreSQL reads those stacks' alone (2 to 4 ms).
        followed_stacks = list(
            Stack.objects.filter(
                Q(company__in=reader.followed_companies)
                | Q(owner_user__in=reader.followed_members)
            ).values_list("pk", flat=True)
        )
        rows = (
            rows.filter(
                Q(stack__in=followed_stacks) | Q(actor__in=reader.followed_members)
            )
            .exclude(stack__company__in=reader.muted_companies)
            .exclude(tool__in=reader.muted_tools)
        )
    return grouped_items(
        rows.select_related("stack__company", "stack__owner_user", "tool"),
        "stack",
        before,
        limit,
        by="stack_id",
        reason=lambda row: stack_change_reason(reader, row),
    )


def stack_reason(reader: Reader, stack: Stack) -> str:
    if reader.is_site_wide:
        return ""
    if stack.company_id in reader.followed_companies:
        return f"because you follow {reader.followed_companies[stack.company_id]}"
    if stack.owner_user_id in reader.followed_members:
        return f"because you follow {reader.followed_members[stack.owner_user_id]}"
    return ""


def stack_change_reason(reader: Reader, change: StackHistory) -> str:
    """The stack's owner first, else the followed member who made the change."""
    reason = stack_reason(reader, change.stack)
    if not reason and change.actor_id in reader.followed_members:
        return f"because you follow {reader.followed_members[change.actor_id]}"
    return reason


def reader_reason(reader: Reader, *, tool_id: int | None = None) -> str:
    if reader.is_site_wide or tool_id is None:
        return ""
    return f"because you follow {reader.followed_tools.get(tool_id, 'this tool')}"


Source = Callable[[Reader, Position | None, int], list[FeedItem]]
SOURCES: list[Source] = [
    decision_items,
    outcome_items,
    stack_change_items,
    procon_items,
    new_tool_items,
]
