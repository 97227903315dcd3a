"""A page of the feed: the sources merged newest first, related items grouped, the cursor of the next page."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

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
