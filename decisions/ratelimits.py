"""Per-member rate limits for posting, commenting and voting, kept in the cache.

A fixed window per member and action: the first hit creates a counter that
expires with the window, later hits increment it. Both are atomic in Redis
and in the local memory cache, so concurrent requests cannot slip past.
Limits can be tuned with the ``DECISION_RATE_LIMITS`` setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

# action: (how many, per how many seconds)
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "post": (5, 60 * 60),
    "comment": (20, 10 * 60),
    "vote": (60, 60),
    "report": (10, 60 * 60),
}
WHAT = {
    "post": "posts",
    "comment": "comments",
    "vote": "votes",
    "report": "reports",
}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def window(self) -> str:
        if self.seconds >= 3600 and self.seconds % 3600 == 0:
            hours = self.seconds // 3600
            return "hour" if hours == 1 else f"{hours} hours"
        minutes = max(self.seconds // 60, 1)
        return "minute" if minutes == 1 else f"{minutes} minutes"


def limit_for(action: str) -> Limit:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "DECISION_RATE_LIMITS", {})}
    count, seconds = limits[action]
    return Limit(count, seconds)


def hit(*, user_id: int, action: str) -> bool:
    """Count one attempt; False when the member is over the limit for this action."""
    limit = limit_for(action)
    key = f"decisions:rate:{action}:{user_id}"
    if cache.add(key, 1, timeout=limit.seconds):
        return limit.count >= 1
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds)
        used = 1
    return used <= limit.count


def message(action: str) -> str:
    limit = limit_for(action)
    return (
        f"You have reached the limit of {limit.count} {WHAT[action]} per "
        f"{limit.window}. Please wait a little and try again."
    )
