"""Count page views once per visitor per day, for every kind of page.

A view counts when ``first_view_today`` says so: one cache ``add`` under a
key that expires at the visitor's next midnight (atomic in Redis and in the
local memory cache), so a reload costs no query and a crawler or an eager
reader adds one view a day. A counted view is one UPDATE of the row's
``view_count``, written at once, so the reader sees the number move.

Anything that has no row yet (a comparison is an address before it is a
row) keeps its counted views in the cache until its owner makes the row:
see ``hold_view``.

Robots that say so in their User-Agent (search engines' crawlers, link
previews, HTTP libraries) are not readers: their reads count no view, so
"most viewed" ranks what people read, and a crawl writes nothing.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

KEY_PREFIX = "views"


# Words in the User-Agent of clients that are not a person reading: "bot"
# as robots end their names ("Googlebot/2.1", "PetalBot;", "Slackbot-…"),
# not as a phone's brand does ("Cubot P40").
ROBOT = re.compile(
    r"bot[/;)+-]|bot$|crawl|spider|slurp|externalhit|preview|fetcher|curl/|wget/|"
    r"python-|httpx|go-http-client|okhttp|java/|libwww",
    re.IGNORECASE,
)


def visitor_of(request: HttpRequest) -> str | None:
    """Who is reading: the member, else a hash of address and browser; None
    for a robot, whose reads count no view."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    agent = request.headers.get("User-Agent", "")[:300]
    if ROBOT.search(agent):
        return None
    address = request.META.get("REMOTE_ADDR", "")
    digest = hashlib.blake2s(f"{address}|{agent}".encode(), digest_size=8)
    return f"a{digest.hexdigest()}"


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    tomorrow = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=1), time.min)
    )
    return max(int((tomorrow - now).total_seconds()), 1)


def first_view_today(*, subject: str, visitor: str) -> bool:
    """True the first time today this visitor reads this subject."""
    today = timezone.localdate().isoformat()
    key = f"{KEY_PREFIX}:seen:{subject}:{visitor}:{today}"
    return bool(cache.add(key, 1, timeout=_seconds_to_midnight()))


def count_view(*, subject: str, visitor: str, rows: QuerySet[Any]) -> bool | None:
    """Count the reader's view of ``rows`` (one row, by its address).

    Returns False when this visitor was counted today already, True when
    the row's count moved, and None when the view counts but no row exists
    yet (the caller may ``hold_view`` it).
    """
    if not first_view_today(subject=subject, visitor=visitor):
        return False
    return rows.update(view_count=F("view_count") + 1) > 0 or None


def hold_view(*, subject: str) -> int:
    """Keep a counted view of a subject without a row; returns the views held.

    Held views last a day: a subject read rarely never needs a row.
    """
    key = f"{KEY_PREFIX}:held:{subject}"
    if cache.add(key, 1, timeout=_seconds_to_midnight()):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=_seconds_to_midnight())
        return 1


def release_views(*, subject: str) -> None:
    """Forget the views held for a subject, once its row has them."""
    cache.delete(f"{KEY_PREFIX}:held:{subject}")
