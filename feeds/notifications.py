"""Notifications, assembled on read like the feed: what happened to *you*.

Each source reads one table for events that concern the member (their
submitted tool was approved or rejected, …). Unread means newer than the
moment the member last marked them read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    MemberFollow,
    MemberMute,
    ModerationAction,
    ModerationEvent,
    User,
)
from changes.models import DecisionRecord
from decisions.models import Comment
from stacks.models import CompanyMembership
from tools.models import Tool

SHOWN = 30


@dataclass
class Notification:
    kind: str
    at: datetime
    text: str
    url: str
    actor: User | None = None
    is_unread: bool = False


def tool_reviews(
    user: User, since: datetime | None, limit: int, muted: set[int]
) -> list[Notification]:
    """A moderator approved or rejected a tool the member submitted.

    Most members never submit a tool, so the first query usually ends it.
    """
    submitted = {
        str(tool.pk): tool
        for tool in Tool.objects.filter(submitted_by=user).only(
            "name", "slug", "status"
        )
    }
    if not submitted:
        return []
    events = ModerationEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Tool),
        target_id__in=list(submitted),
        action__in=[ModerationAction.APPROVE, ModerationAction.REJECT],
    ).select_related("actor")
    if since is not None:
        events = events.filter(created_at__gt=since)
    notifications = []
    for event in events.order_by("-created_at")[:limit]:
        tool = submitted[event.target_id]
        if event.action == ModerationAction.APPROVE:
            text = f"{tool.name}, the tool you submitted, is now in the catalog."
            url = tool.get_absolute_url() if tool.is_approved else ""
        else:
            text = f"{tool.name}, the tool you submitted, was not accepted"
            text += f": {event.reason}" if event.reason else "."
            url = ""
        notifications.append(
            Notification(kind="tool_review", at=event.created_at, text=text, url=url)
        )
    return notifications


def comments_on_posts(
    user: User, since: datetime | None, limit: int, muted: set[int]
) -> list[Notification]:
    """Someone else commented on one of the member's posts (not as a reply)."""
    comments = (
        Comment.objects.visible()
        .filter(
            decision__author=user,
            decision__deleted_at__isnull=True,
            parent__isnull=True,
        )
        .exclude(author__in=[user.pk, *muted])
    )
    if since is not None:
        comments = comments.filter(created_at__gt=since)
    return [
        Notification(
            kind="comment",
            at=comment.created_at,
            text=f"{comment.author.name} commented on “{comment.decision.title}”",
            url=comment.get_absolute_url(),
            actor=comment.author,
        )
        for comment in comments.select_related("author", "decision").order_by(
            "-created_at"
        )[:limit]
    ]


def replies_to_comments(
    user: User, since: datetime | None, limit: int, muted: set[int]
) -> list[Notification]:
    """Someone else replied to one of the member's comments."""
    replies = (
        Comment.objects.visible()
        .filter(parent__author=user)
        .exclude(author__in=[user.pk, *muted])
    )
    if since is not None:
        replies = replies.filter(created_at__gt=since)
    return [
        Notification(
            kind="reply",
            at=reply.created_at,
            text=f"{reply.author.name} replied to your comment on “{reply.decision.title}”",
            url=reply.get_absolute_url(),
            actor=reply.author,
        )
        for reply in replies.select_related("author", "decision").order_by(
            "-created_at"
        )[:limit]
    ]


def new_followers(
    user: User, since: datetime | None, limit: int, muted: set[int]
) -> list[Notification]:
    """Someone started following the member."""
    follows = MemberFollow.objects.filter(followed=user).exclude(follower__in=muted)
    if since is not None:
        follows = follows.filter(created_at__gt=since)
    return [
        Notification(
            kind="follow",
            at=follow.created_at,
            text=f"{follow.follower.name} started following you",
            url=follow.follower.get_absolute_url(),
            actor=follow.follower,
        )
        for follow in follows.select_related("follower").order_by("-created_at")[:limit]
    ]


def revisits_due(
    user: User, since: datetime | None, limit: int, muted: set[int]
) -> list[Notification]:
    """A decision by the member, or by a company they edit for, reached its
    revisit date without an outcome (one query)."""
    today = timezone.localdate()
    editing = CompanyMembership.objects.editing().filter(user=user).values("company")
    records = DecisionRecord.objects.due(today=today).filter(
        Q(decision__author=user) | Q(decision__company__in=editing),
        decision__deleted_at__isnull=True,
    )
    if since is not None:
        records = records.filter(revisit_on__gt=since.date())
    return [
        Notification(
            kind="revisit",
            at=datetime.combine(record.revisit_on, time.min, tzinfo=UTC),  # type: ignore[arg-type]  # filtered to records with a revisit date above
            text=f"Time to look back on “{record.decision.title}”: how did it turn out?",
            url=reverse("changes:decision_outcome", args=[record.decision_id]),
        )
        for record in records.select_related("decision").order_by("-revisit_on")[:limit]
    ]


Source = Callable[[User, datetime | None, int, set[int]], list[Notification]]
SOURCES: list[Source] = [
    comments_on_posts,
    replies_to_comments,
    new_followers,
    tool_reviews,
    revisits_due,
]


def notifications_for(
    user: User, *, seen_at: datetime | None, limit: int = SHOWN
) -> list[Notification]:
    """The member's latest notifications, newest first, unread ones marked."""
    muted = muted_members(user)
    items = sorted(
        itertools.chain.from_iterable(
            source(user, None, limit, muted) for source in SOURCES
        ),
        key=lambda item: item.at,
        reverse=True,
    )[:limit]
    for item in items:
        item.is_unread = seen_at is None or item.at > seen_at
    return items


def unread_count(user: User, *, seen_at: datetime | None) -> int:
    """How many notifications are new (at most 99 of each kind are counted).

    Only the header's badge asks, in a request of its own after the page
    has loaded, so pages themselves never pay for it.
    """
    muted = muted_members(user)
    return sum(len(source(user, seen_at, 99, muted)) for source in SOURCES)


def muted_members(user: User) -> set[int]:
    """Members whose doings the member asked not to hear about."""
    return set(MemberMute.objects.filter(user=user).values_list("muted_id", flat=True))
