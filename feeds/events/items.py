"""Feed items and their positions (the signed "more" cursor), and how an item is told in one line and linked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core import signing
from django.db.models import Model

from changes.models import DecisionRecord
from decisions.models import Decision
from stacks.models import StackHistory
from tools.models import ProCon, Tool

if TYPE_CHECKING:
    from feeds.events.groups import Unread

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
    """One line of the feed: ``rows`` holds its events, newest first (the
    first few of a large group), ``total`` how many it has in all.

    A grouped line is placed before its events are read: ``unread`` says
    how to read them once it makes the page (feeds.events.groups)."""

    kind: str
    at: datetime
    key: int
    rows: list[Model]
    reason: str = ""
    total: int | None = None
    unread: Unread | None = None

    @property
    def position(self) -> Position:
        return Position(self.at, self.kind, self.key)

    @property
    def first(self) -> Model:
        return self.rows[0]

    @property
    def count(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def more(self) -> int:
        """The events the line counts but does not show."""
        return self.count - len(self.rows)


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
        more = f" ({item.more} more changes)" if item.more else ""
        return f"{row.stack.owner_name} {' and '.join(parts)} in {row.stack.name}{more}"
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
