"""Who is signed in: the member of a session, read from the cache.

Performance: Django reads the member's row on every request of theirs;
on a page served from the cache that query was about 40 % of the request
(0.45 of 1.15 ms for the tool page, measured in-process at scale 1). The
row is kept under ``account_version``, which moves on every change to it
(accounts.receivers, and the services that update it in bulk), so a
password change, a deactivation or a suspension counts from the next
request, as before.

While Redis is down each process keeps its own copy (stackshare.redis_cache),
and a change made in another process is not seen there; so a copy is kept
for at most ``ACCOUNT_SECONDS``, and not at all where pages are not kept
(``PAGE_CACHE_SECONDS`` 0: debugging, most tests).
"""

from __future__ import annotations

from typing import Any

from allauth.account import auth_backends as allauth_backends
from django.conf import settings
from django.contrib.auth import backends

from accounts.models import User, account_version
from stackshare.caching import kept

ACCOUNT_SECONDS = 30


class ModelBackend(backends.ModelBackend):
    """Django's sign-in by username and password (the back office)."""

    def get_user(self, user_id: Any) -> User | None:
        read = super().get_user
        return kept(
            f"account:{user_id}",
            lambda: read(user_id),
            versions=[account_version(user_id)],
            seconds=min(ACCOUNT_SECONDS, settings.PAGE_CACHE_SECONDS),
        )


class AuthenticationBackend(
    ModelBackend,
    allauth_backends.AuthenticationBackend,  # type: ignore[misc]  # allauth ships no type hints
):
    """allauth's sign-in by email or username."""
