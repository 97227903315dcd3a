"""Arrange a post's comments into threads for one reader, without queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from decisions.models import Comment


@dataclass
class Entry:
    """A comment as this reader sees it.

    ``state`` is "visible"; "hidden" (a hidden comment its author or a
    moderator is looking at); or "deleted" / "removed", placeholders kept
    only so that the replies below them still read as a conversation.
    """

    comment: Comment
    state: str

    @property
    def shows_body(self) -> bool:
        return self.state in {"visible", "hidden"}


@dataclass
class Thread:
    entry: Entry
    replies: list[Entry] = field(default_factory=list)
    last_activity: datetime | None = None

    @property
    def reply_count(self) -> int:
        return len(self.replies)


def _state(comment: Comment, *, viewer_id: int | None, moderator: bool) -> str | None:
    if comment.is_deleted:
        return None
    if comment.is_hidden:
        return "hidden" if moderator or comment.author_id == viewer_id else None
    return "visible"


def build_threads(
    comments: list[Comment], *, viewer_id: int | None, moderator: bool
) -> list[Thread]:
    """Top-level comments with their replies, the most recently active thread first.

    Replies read oldest first under their comment. A removed comment whose
    replies are still shown stays as a "[deleted]" placeholder; one without
    shown replies disappears.
    """
    replies: dict[int, list[Comment]] = {}
    tops: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            tops.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)

    threads: list[Thread] = []
    for top in tops:
        shown = []
        for reply in replies.get(top.pk, []):
            state = _state(reply, viewer_id=viewer_id, moderator=moderator)
            if state is not None:
                shown.append(Entry(reply, state))
        state = _state(top, viewer_id=viewer_id, moderator=moderator)
        if state is None:
            if not shown:
                continue
            state = "deleted" if top.is_deleted else "removed"
        times = [top.created_at, *(entry.comment.created_at for entry in shown)]
        threads.append(Thread(Entry(top, state), shown, max(times)))
    threads.sort(key=lambda t: (t.last_activity, t.entry.comment.pk), reverse=True)
    return threads
