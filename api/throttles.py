"""Per token and per address request limits, counted in the shared cache,
and the site's per-member limits on writes.

DRF's throttles keep their history in Django's default cache, which is
Redis in production, so the limits hold across servers. Over the limit the
answer is 429 with Retry-After (a problem, see api.problems).
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import AccessToken
from stackshare import ratelimits
from stackshare.types import acting_member


class TokenOrAddressThrottle(SimpleRateThrottle):
    """Token holders are counted per token, everyone else per address."""

    scope = "api"

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, AccessToken):
            ident = f"token:{request.auth.pk}"
            self.rate = self.THROTTLE_RATES.get("api_token", self.rate)
            self.num_requests, self.duration = self.parse_rate(self.rate)
        else:
            ident = f"addr:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def spend(request: Request, action: str) -> None:
    """The site's per-member rate limit for this kind of write (stackshare.ratelimits)."""
    user_id = acting_member(request).pk
    if not ratelimits.hit(user_id=user_id, action=action):
        raise Throttled(
            wait=ratelimits.retry_after(user_id=user_id, action=action),
            detail=ratelimits.message(action),
        )
