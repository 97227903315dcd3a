"""The feed, assembled on read from the tables that already hold the events.

Each *source* turns one table into feed items (new pros and cons, new
tools, …) and answers with at most ``limit`` items older than the cursor,
in one query. The feed merges the sources newest first, groups related
items, and hands out a cursor for the next page. Because every source
filters on an indexed ``(created_at, id)`` and stops after ``limit`` rows, a
page deep in the scroll costs what the first page costs.

When the site outgrows this, the same sources become writers instead: on
each event, fan the item out to the inboxes (Redis sorted sets keyed by
member, scored by time) of the members it concerns; the page then reads
one sorted set. See README.md, "The feed".
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import (
    CharField,
    Exists,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf

from accounts.models import (
    MemberFollow,
    MemberMute,
    User,
    member_version,
    reader_version,
)
from changes.models import DecisionRecord
from decisions.models import Decision, DecisionQuerySet, DecisionTool
from stacks.models import (
    CompanyFollow,
    CompanyMute,
    Stack,
    StackHistory,
    company_page_version,
)
from stackshare.caching import STRUCTURE, kept, tool_version
from tools.models import CategoryFollow, ProCon, Tool, ToolFollow, ToolMute

PAGE_SIZE = 20
CURSOR_SALT = "feeds.cursor"


class BadCursorError(Exception):
    """The "more" link was edited or comes from another site."""


@dataclass(frozen=True, order=True)
class Position:
    """Where an item sits in the feed: newest first, then kind, then id."""

    at: datetime
    kind: str
    key: int

    def encode(self) -> str:
        return signing.dumps(
            [self.at.isoformat(), self.kind, self.key], salt=CURSOR_SALT, compress=True
        )

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            at, kind, key = signing.loads(cursor[:500], salt=CURSOR_SALT)
            return cls(datetime.fromisoformat(at), str(kind), int(key))
        except (signing.BadSignature, ValueError, TypeError) as error:
            raise BadCursorError(str(error)) from error


@dataclass
class FeedItem:
    """One line of the feed; ``rows`` holds the grouped events, newest first."""

    kind: str
    at: datetime
    key: int
    group: tuple[object, ...]
    rows: list[Model]
    reason: str = ""

    @property
    def position(self) -> Position:
        return Position(self.at, self.kind, self.key)

    @property
    def first(self) -> Model:
        return self.rows[0]

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class Reader:
    """What the feed needs to know about who reads it: follows and mutes."""

    user: User | None
    followed_tools: dict[int, str] = field(default_factory=dict)  # id -> name
    followed_categories: dict[int, str] = field(default_factory=dict)
    followed_members: dict[int, str] = field(default_factory=dict)
    followed_companies: dict[int, str] = field(default_factory=dict)
    muted_tools: set[int] = field(default_factory=set)
    muted_members: set[int] = field(default_factory=set)
    muted_companies: set[int] = field(default_factory=set)
    # The cache versions of what the reader follows (stackshare.caching).
    followed_versions: list[str] = field(default_factory=list)

    @property
    def is_site_wide(self) -> bool:
        return self.user is None

    @property
    def follows_anything(self) -> bool:
        return bool(
            self.followed_tools
            or self.followed_categories
            or self.followed_members
            or self.followed_companies
        )

    @classmethod
    def for_user(cls, user: User | None) -> Reader:
        """Everything the member follows and mutes, in one UNION query.

        Performance: kept in the shared cache under the member's reader
        version, which every follow and mute bumps (accounts.services.
        reader_changed), and ``STRUCTURE`` for the names it holds.
        """
        if user is None:
            return cls(user=None)
        reader = kept(
            f"reader:{user.pk}",
            lambda: cls.read(user),
            versions=[STRUCTURE, reader_version(user.pk)],
        )
        reader.user = user
        return reader

    @classmethod
    def read(cls, user: User) -> Reader:
        """The rows themselves; the member is set by :meth:`for_user`."""
        reader = cls(user=None)
        targets = {
            "tool": reader.followed_tools,
            "category": reader.followed_categories,
            "member": reader.followed_members,
            "company": reader.followed_companies,
        }
        mutes = {
            "muted-tool": reader.muted_tools,
            "muted-member": reader.muted_members,
            "muted-company": reader.muted_companies,
        }
        for kind, pk, name, slug in _follows_and_mutes(user):
            if kind in targets:
                targets[kind][pk] = name
            else:
                mutes[kind].add(pk)
            if kind == "tool":
                reader.followed_versions.append(tool_version(slug))
            elif kind == "company":
                reader.followed_versions.append(company_page_version(slug))
            elif kind == "member":
                reader.followed_versions.append(member_version(pk))
        return reader

    def page_versions(self) -> list[str]:
        """What the reader's feed is built from, as cache versions.

        Their reader version moves with every follow and mute; the services
        bump a tool's, a company's or a member's version with each post,
        stack change or point about it; approvals, moderation and renames
        bump ``STRUCTURE``. New tools in followed categories appear through
        approvals.
        """
        own = [reader_version(self.user.pk)] if self.user else []
        return [STRUCTURE, *own, *self.followed_versions]

    def category_reason(self, tool: Tool) -> str:
        """ "because you follow Databases" for a tool below a followed node."""
        function = tool.function
        layer = function.parent.parent_id if function.parent else None
        for node_id in (function.pk, function.parent_id, layer):
            if node_id in self.followed_categories:
                return f"because you follow {self.followed_categories[node_id]}"
        return ""


def _follows_and_mutes(user: User) -> QuerySet[Any]:
    """(kind, id, name, slug) rows of the member's follows and mutes, in one query."""
    no_name = Value("", output_field=CharField())

    def rows(
        queryset: QuerySet[Any],
        kind: str,
        pk: str,
        name: Combinable | None,
        slug: Combinable | None = None,
    ) -> QuerySet[Any]:
        label = Value(kind, output_field=CharField())
        return queryset.order_by().values_list(
            label, pk, name or no_name, slug or no_name
        )

    # A member is named as User.name names them: display name, else handle.
    member_name = Coalesce(
        NullIf(F("followed__display_name"), Value("")), F("followed__username")
    )
    return rows(
        ToolFollow.objects.filter(user=user),
        "tool",
        "tool_id",
        F("tool__name"),
        F("tool__slug"),
    ).union(
        rows(
            CategoryFollow.objects.filter(user=user),
            "category",
            "category_id",
            F("category__name"),
        ),
        rows(
            MemberFollow.objects.filter(follower=user),
            "member",
            "followed_id",
            member_name,
        ),
        rows(
            CompanyFollow.objects.filter(user=user),
            "company",
            "company_id",
            F("company__name"),
            F("company__slug"),
        ),
        rows(ToolMute.objects.filter(user=user), "muted-tool", "tool_id", None),
        rows(MemberMute.objects.filter(user=user), "muted-member", "muted_id", None),
        rows(
            CompanyMute.objects.filter(user=user), "muted-company", "company_id", None
        ),
        all=True,
    )


def older_than[Rows: QuerySet[Any]](
    queryset: Rows, kind: str, before: Position | None
) -> Rows:
    """Rows of one source that come after ``before`` in feed order."""
    if before is None:
        return queryset
    if kind < before.kind:
        return queryset.filter(created_at__lte=before.at)
    if kind == before.kind:
        return queryset.filter(
            Q(created_at__lt=before.at) | Q(created_at=before.at, pk__lt=before.key)
        )
    return queryset.filter(created_at__lt=before.at)


def procon_items(reader: Reader, before: Position | None, limit: int) -> list[FeedItem]:
    """New pros and cons on the tools the reader follows (or on any tool)."""
    rows = ProCon.objects.visible().filter(tool__status="approved")
    if not reader.is_site_wide:
        rows = (
            rows.filter(tool__in=reader.followed_tools)
            .exclude(tool__in=reader.muted_tools)
            .exclude(author__in=reader.muted_members)
        )
    rows = older_than(rows, "procon", before).select_related("tool", "author")
    return [
        FeedItem(
            kind="procon",
            at=row.created_at,
            key=row.pk,
            group=("procon", row.tool_id, row.created_at.date()),
            rows=[row],
            reason=reader_reason(reader, tool_id=row.tool_id),
        )
        for row in rows.order_by("-created_at", "-pk")[:limit]
    ]


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
    rows = older_than(rows, "tool", before).select_related("function__parent")
    return [
        FeedItem(
            kind="tool",
            at=row.created_at,
            key=row.pk,
            group=("tool", row.function_id, row.created_at.date()),
            rows=[row],
            reason="" if reader.is_site_wide else reader.category_reason(row),
        )
        for row in rows.order_by("-created_at", "-pk")[:limit]
    ]


def followed_decisions(reader: Reader) -> DecisionQuerySet | None:
    """Posts by followed members or companies or tagging a followed tool,
    minus what the reader muted (any post site-wide); None when the reader
    follows nothing that posts."""
    rows = Decision.objects.visible()
    if reader.is_site_wide:
        return rows
    if not (
        reader.followed_tools or reader.followed_members or reader.followed_companies
    ):
        return None
    rows = rows.filter(
        Q(author__in=reader.followed_members)
        | Q(company__in=reader.followed_companies)
        | Exists(
            DecisionTool.objects.filter(
                decision=OuterRef("pk"), tool__in=reader.followed_tools
            )
        )
    ).exclude(author__in=reader.muted_members)
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
    return rows


def decision_items(
    reader: Reader, before: Position | None, limit: int
) -> list[FeedItem]:
    """Posts by followed members or tagging a followed tool (or any post)."""
    rows = followed_decisions(reader)
    if rows is None:
        return []
    rows = older_than(rows, "decision", before).with_cards()
    return [
        FeedItem(
            kind="decision",
            at=row.created_at,
            key=row.pk,
            group=("decision", row.pk),
            rows=[row],
            reason=decision_reason(reader, row),
        )
        for row in rows.order_by("-created_at", "-pk")[:limit]
    ]


def outcome_items(
    reader: Reader, before: Position | None, limit: int
) -> list[FeedItem]:
    """How the decisions the reader would see turned out (changes app)."""
    decisions = followed_decisions(reader)
    if decisions is None:
        return []
    rows = (
        DecisionRecord.objects.exclude(outcome="")
        .filter(decision__in=decisions.values("pk"))
        .annotate(created_at=F("outcome_at"))
    )
    rows = older_than(rows, "outcome", before).select_related(
        "decision__author", "outcome_by"
    )
    return [
        FeedItem(
            kind="outcome",
            at=row.outcome_at,  # type: ignore[arg-type]  # set with every outcome; the outcome filter is not a type
            key=row.pk,
            group=("outcome", row.pk),
            rows=[row],
            reason=decision_reason(reader, row.decision),
        )
        for row in rows.order_by("-created_at", "-pk")[:limit]
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
        rows = (
            rows.filter(
                Q(stack__company__in=reader.followed_companies)
                | Q(stack__owner_user__in=reader.followed_members)
                | Q(actor__in=reader.followed_members)
            )
            .exclude(stack__company__in=reader.muted_companies)
            .exclude(tool__in=reader.muted_tools)
        )
    rows = older_than(rows, "stack", before).select_related(
        "stack__company", "stack__owner_user", "tool"
    )
    return [
        FeedItem(
            kind="stack",
            at=row.created_at,
            key=row.pk,
            group=("stack", row.stack_id, row.created_at.date()),
            rows=[row],
            reason=stack_change_reason(reader, row),
        )
        for row in rows.order_by("-created_at", "-pk")[:limit]
    ]


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


@dataclass
class FeedPage:
    items: list[FeedItem]
    next_cursor: str | None


def feed_page(
    reader: Reader, *, cursor: str | None = None, size: int = PAGE_SIZE
) -> FeedPage:
    """One page of the reader's feed, newest first, related items grouped."""
    before = Position.decode(cursor) if cursor else None
    # One row more than a page tells whether an older page exists.
    candidates = sorted(
        itertools.chain.from_iterable(
            source(reader, before, size + 1) for source in SOURCES
        ),
        key=lambda item: item.position,
        reverse=True,
    )
    page = candidates[:size]
    next_cursor = page[-1].position.encode() if len(candidates) > size else None
    return FeedPage(items=group(page), next_cursor=next_cursor)


def group(items: Iterable[FeedItem]) -> list[FeedItem]:
    """Fold items with the same group (one tool's new points on one day) into the first."""
    grouped: dict[tuple[object, ...], FeedItem] = {}
    for item in items:
        if item.group in grouped:
            grouped[item.group].rows.extend(item.rows)
        else:
            grouped[item.group] = item
    return list(grouped.values())


def item_headline(item: FeedItem) -> str:
    """The item in one line of text, for Atom feeds and e-mail digests."""
    row = item.first
    if isinstance(row, ProCon):
        if item.count > 1:
            return f"{item.count} new pros and cons on {row.tool.name}"
        return f"New {row.get_kind_display().lower()} on {row.tool.name}: {row.text}"
    if isinstance(row, Tool):
        if item.count > 1:
            return f"{item.count} new tools in {row.function.name}"
        return f"{row.name} joined {row.function.name}"
    if isinstance(row, StackHistory):
        changes = [r for r in item.rows if isinstance(r, StackHistory)]
        added = [r.tool_name for r in changes if r.action == "added"]
        removed = [r.tool_name for r in changes if r.action == "removed"]
        parts = []
        if added:
            parts.append("added " + ", ".join(added))
        if removed:
            parts.append("removed " + ", ".join(removed))
        return f"{row.stack.owner_name} {' and '.join(parts)} in {row.stack.name}"
    if isinstance(row, Decision):
        verb = "asks for advice" if row.is_advice else "shared a decision"
        return f"{row.author.name} {verb}: {row.title}"
    if isinstance(row, DecisionRecord):
        return (
            f"{row.decision.title}: {row.get_outcome_display().lower()}, "
            f"reports {row.decision.author.name}"
        )
    return str(row)


def item_url(item: FeedItem) -> str:
    row = item.first
    if isinstance(row, ProCon):
        return f"{row.tool.get_absolute_url()}#pros-cons"
    if isinstance(row, Tool):
        return (
            row.get_absolute_url()
            if item.count == 1
            else row.function.get_absolute_url()
        )
    if isinstance(row, StackHistory):
        return row.stack.get_absolute_url()
    if isinstance(row, DecisionRecord):
        return f"{row.decision.get_absolute_url()}#outcome"
    if isinstance(row, Decision):
        return row.get_absolute_url()
    raise TypeError(f"No address for a feed item about {type(row).__name__}")
