"""A page of the feed: the sources' lines merged newest first, and the cursor of the next page."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from feeds.events.groups import read_lines
from feeds.events.items import FeedItem, Position
from feeds.events.readers import Reader
from feeds.events.sources import SOURCES

PAGE_SIZE = 20


@dataclass
class FeedPage:
    items: list[FeedItem]
    next_cursor: str | None


def feed_page(
    reader: Reader, *, cursor: str | None = None, size: int = PAGE_SIZE
) -> FeedPage:
    """One page of the reader's feed, newest first (each source groups its own
    events: see feeds.events.groups)."""
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
    return FeedPage(items=read_lines(page), next_cursor=next_cursor)
