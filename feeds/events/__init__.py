"""The feed, assembled on read from the tables that already hold the events.

Each *source* turns one table into feed items (new pros and cons, new
tools, …) and answers with at most ``limit`` items older than the cursor.
Where one thing's events on one day make one line (a stack's changes, a
tool's new points, a category's new tools), the source reads them as whole
groups (``groups``). The feed merges the sources newest first and hands out
a cursor for the next page. Because every source walks an indexed
``(created_at, id)`` from the cursor and stops once it has ``limit`` items,
a page deep in the scroll costs what the first page costs.

When the site outgrows this, the same sources become writers instead: on
each event, fan the item out to the inboxes (Redis sorted sets keyed by
member, scored by time) of the members it concerns; the page then reads
one sorted set. See README.md, "The feed".

The package holds the items (``items``), the reader's follows and mutes
(``readers``), the sources (``sources``) and how they read rows as groups
(``groups``), and the page that merges them (``pages``).
"""

from __future__ import annotations

from feeds.events.groups import older_than
from feeds.events.items import (
    CURSOR_SALT,
    BadCursorError,
    FeedItem,
    Position,
    item_headline,
    item_url,
)
from feeds.events.pages import PAGE_SIZE, FeedPage, feed_page
from feeds.events.readers import Reader
from feeds.events.sources import (
    SOURCES,
    Source,
    decision_items,
    decision_reason,
    followed_decisions,
    new_tool_items,
    outcome_items,
    procon_items,
    reader_reason,
    stack_change_items,
    stack_change_reason,
    stack_reason,
)

__all__ = [
    "CURSOR_SALT",
    "PAGE_SIZE",
    "SOURCES",
    "BadCursorError",
    "FeedItem",
    "FeedPage",
    "Position",
    "Reader",
    "Source",
    "decision_items",
    "decision_reason",
    "feed_page",
    "followed_decisions",
    "item_headline",
    "item_url",
    "new_tool_items",
    "older_than",
    "outcome_items",
    "procon_items",
    "reader_reason",
    "stack_change_items",
    "stack_change_reason",
    "stack_reason",
]
