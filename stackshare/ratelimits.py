"""Per-member rate limits on writes, kept in the cache.

Every write a member makes belongs to an action class ("write" unless
stackshare.writes.ACTIONS names another); each class allows so many
attempts per window. A fixed window per member and class: the first hit
creates a counter that expires with the window, later hits increment it.
Both are atomic in Redis and in the local memory cache, so concurrent
requests cannot slip past. Only ``add``, ``incr``, ``get`` and ``set`` are
used, so any cache back end (and a fallback to local memory) will do.

The ``RATE_LIMITS`` setting overrides the defaults below, class by class:
``RATE_LIMITS = {"import": (20, 3600)}``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60
DAY = 24 * HOUR

# action: (how many, per how many seconds)
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Any write without a class of its own: generous, it only stops floods.
    "write": (120, 10 * 60),
    "post": (5, HOUR),
    "comment": (20, 10 * 60),
    "procon": (20, 10 * 60),
    "vote": (60, 60),
    "report": (10, HOUR),
    "submit": (10, DAY),
    # Each import parses uploaded files, the heaviest thing a member can ask.
    "import": (10, HOUR),
}
# How the limit message names what is counted.
WHAT = {
    "write": "changes",
    "post": "posts",
    "comment": "comments",
    "procon": "pros and cons",
    "vote": "votes",
    "report": "reports",
    "submit": "tool submissions",
    "import": "stack imports",
}
KEY_PREFIX = "rate"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def window(self) -> str:
        """The window in words: "minute", "10 minutes", "hour", "day"."""
        if self.seconds == DAY:
            return "day"
        if self.seconds >= HOUR and self.seconds % HOUR == 0:
            hours = self.seconds // HOUR
            return "hour" if hours == 1 else f"{hours} hours"
        minutes = max(self.seconds // 60, 1)
        return "minute" if minutes == 1 else f"{minutes} minutes"


def limit_for(action: str) -> Limit:
    """The limit of an action class, with the ``RATE_LIMITS`` setting applied."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}
    count, seconds = limits[action]
    return Limit(count, seconds)


def _key(action: str, user_id: int) -> str:
    return f"{KEY_PREFIX}:{action}:{user_id}"


def hit(*, user_id: int, action: str) -> bool:
    """Count one attempt; False when the member is over the limit for this action."""
    limit = limit_for(action)
    key = _key(action, user_id)
    if cache.add(key, 1, timeout=limit.seconds):
        # When this window ends, for Retry-After; written once per window.
        cache.set(f"{key}:ends", time.time() + limit.seconds, timeout=limit.seconds)
        return limit.count >= 1
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds)
        cache.set(f"{key}:ends", time.time() + limit.seconds, timeout=limit.seconds)
        used = 1
    return used <= limit.count


def retry_after(*, user_id: int, action: str) -> int:
    """Seconds until the member's current window for this action ends (at least 1)."""
    limit = limit_for(action)
    ends: float | None = cache.get(f"{_key(action, user_id)}:ends")
    if ends is None:
        return limit.seconds
    return max(math.ceil(ends - time.time()), 1)


def message(action: str) -> str:
    """What a member over the limit reads."""
    limit = limit_for(action)
    return (
        f"You have reached the limit of {limit.count} {WHAT[action]} per "
        f"{limit.window}. Please wait a little and try again."
    )
