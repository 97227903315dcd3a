"""Django's Redis cache back end, made to degrade instead of failing.

Two changes to Django's own back end:

- **One client object per connection pool.** Django builds a new
  ``redis.Redis`` for every cache call, and building one costs about as much
  as a round trip to a local Redis: a cached page makes three to seven such
  calls. A client holds no connection of its own (its pool does, and resets
  itself in a forked worker) and is safe to share between threads.
- **Redis down means a process-local cache, never an error.** A connection
  error or a timeout (keep ``socket_connect_timeout`` and ``socket_timeout``
  small in ``OPTIONS``) switches this process to a local memory cache for
  ``RETRY_SECONDS`` (5 unless told); then one request tries Redis again.
  Rate limits keep counting per process (fail-safe: they still apply),
  cached pages are rebuilt, and an alias with ``"LOCAL_FALLBACK": False``
  (sessions) keeps nothing at all, so its callers read the database. One
  warning is logged per outage, not one per request.

  Writes made meanwhile never reached Redis, so what Redis still holds for
  those keys is older than what the site wrote (a version stamp bumped by a
  vote, a session ended by a logout). Before the process uses Redis again
  it deletes those keys there: a missing version starts anew
  (``stackshare.caching.stamps``), a missing session is read from
  the database. A process that wrote more keys than it can remember clears
  the Redis database instead; everything in it can be rebuilt. During an
  outage, a page cached by one process does not see writes made in another
  for up to ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

# What an unreachable, hung, full or failed-over Redis raises; anything else
# (a wrong type for incr, say) is a bug and still raises.
UNAVAILABLE = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.OutOfMemoryError,
    redis_errors.ReadOnlyError,
)
RETRY_SECONDS = 5.0
# Keys written during an outage that a process remembers to delete from
# Redis afterwards (about 100 bytes each); past this it clears Redis instead.
REMEMBERED_KEYS = 10_000
LOCAL_ENTRIES = 1_000  # a cached page is about 40 KB
DELETE_CHUNK = 500


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # private to Django, not in django-stubs
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]  # as above
        return client


class Outage:
    """Whether one Redis server is reachable, as this process last saw it.

    Shared by every thread and cache alias of the process that use the same
    server (Django builds a cache object per thread), so an outage is
    noticed, logged and caught up with once.
    """

    def __init__(self, retry_seconds: float) -> None:
        self.lock = threading.Lock()
        self.retry_seconds = retry_seconds
        self.since: float | None = None  # monotonic time, None while healthy
        self.retry_at = 0.0
        self.probing = False
        self.written: set[str] = set()
        self.must_clear = False
        self.local_caches: dict[str, BaseCache] = {}

    @property
    def is_on(self) -> bool:
        return self.since is not None

    def leaves_redis_alone(self) -> bool:
        """True while Redis is left alone; else this caller probes it."""
        if self.since is None:
            return False
        with self.lock:
            if self.since is None:  # healthy again since the check above
                return False  # type: ignore[unreachable]  # mypy cannot see other threads
            if self.probing or time.monotonic() < self.retry_at:
                return True
            self.probing = True
            return False

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            starting = self.since is None
            if starting:
                self.since = now
            self.retry_at = now + self.retry_seconds
            self.probing = False
        if starting:
            logger.warning(
                "Redis cache unavailable (%s: %s); serving from process memory "
                "and trying again every %s s",
                type(error).__name__,
                error,
                self.retry_seconds,
            )

    def remember(self, keys: Iterable[str]) -> None:
        with self.lock:
            if self.must_clear:
                return
            self.written.update(keys)
            if len(self.written) > REMEMBERED_KEYS:
                self.written.clear()
                self.must_clear = True

    def catch_up(self, client: Any) -> None:
        """Drop from Redis what this process wrote while it was away, then
        forget the local copies, so the next outage starts clean."""
        with self.lock:
            written, must_clear = list(self.written), self.must_clear
        try:
            client.ping()  # even with nothing to drop, Redis must answer
            if must_clear:
                client.flushdb()
            else:
                for start in range(0, len(written), DELETE_CHUNK):
                    client.delete(*written[start : start + DELETE_CHUNK])
        finally:
            # Failed or not, this probe is over; failed() sets the next one.
            self.probing = False
        with self.lock:
            if must_clear:
                self.written.clear()
                self.must_clear = False
            else:
                self.written.difference_update(written)
            if self.written or self.must_clear:
                # Other threads wrote meanwhile: the next call drops those.
                self.retry_at = time.monotonic()
                return
            for local in self.local_caches.values():
                local.clear()
            lasted = time.monotonic() - (self.since or time.monotonic())
            self.since = None
        logger.info(
            "Redis cache available again after %.1f s; %s",
            lasted,
            "cleared it"
            if must_clear
            else f"dropped {len(written)} keys written meanwhile",
        )


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str, retry_seconds: float) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage(retry_seconds))


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, reusing clients and degrading to local memory.

    Extra settings beside ``LOCATION`` and ``OPTIONS``: ``RETRY_SECONDS``
    (how long Redis is left alone after a failure) and ``LOCAL_FALLBACK``
    (False: keep nothing while Redis is away, for sessions, whose local copy
    would outlive a logout handled by another process).
    """

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        location = server if isinstance(server, str) else ",".join(server)
        self.outage = outage_of(
            location, float(params.get("RETRY_SECONDS", RETRY_SECONDS))
        )
        local_params: dict[str, Any] = {
            key: params[key]
            for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
            if key in params
        }
        self._local: BaseCache
        if params.get("LOCAL_FALLBACK", True):
            name = f"stackshare.redis_cache:{location}"
            self._local = LocMemCache(
                name, {**local_params, "OPTIONS": {"MAX_ENTRIES": LOCAL_ENTRIES}}
            )
            with self.outage.lock:
                self.outage.local_caches.setdefault(name, self._local)
        else:
            self._local = DummyCache(location, local_params)

    def is_available(self) -> bool:
        """Whether Redis answers now (bounded by the socket timeouts).

        While the process leaves Redis alone after a failure, False at once.
        """
        if self.outage.is_on and time.monotonic() < self.outage.retry_at:
            return False
        try:
            self._cache.get_client().ping()
        except UNAVAILABLE as error:
            self.outage.failed(error)
            return False
        return True

    def validate_key(self, key: str) -> None:
        """Redis takes any key. Django's check warns about memcached's limits
        for every key read: a fifth of the time a member's cached feed took,
        whose versions are hundreds of keys."""

    def _degrading[T](
        self,
        in_redis: Callable[[], T],
        locally: Callable[[], T],
        *,
        writes: Sequence[Any] = (),
        version: int | None = None,
    ) -> T:
        if not self.outage.leaves_redis_alone():
            try:
                if self.outage.is_on:  # this caller probes Redis
                    self.outage.catch_up(self._cache.get_client(write=True))
                return in_redis()
            except UNAVAILABLE as error:
                self.outage.failed(error)
        if writes:
            self.outage.remember(self.make_key(key, version=version) for key in writes)
        return locally()

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._degrading(
            lambda: super(RedisCache, self).add(key, value, timeout, version),
            lambda: self._local.add(key, value, timeout, version),
        )

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._degrading(
            lambda: super(RedisCache, self).get(key, default, version),
            lambda: self._local.get(key, default, version),
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._degrading(
            lambda: super(RedisCache, self).set(key, value, timeout, version),
            lambda: self._local.set(key, value, timeout, version),
            writes=[key],
            version=version,
        )

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._degrading(
            lambda: super(RedisCache, self).touch(key, timeout, version),
            lambda: self._local.touch(key, timeout, version),
        )

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._degrading(
            lambda: super(RedisCache, self).delete(key, version),
            lambda: self._local.delete(key, version),
            writes=[key],
            version=version,
        )

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._degrading(
            lambda: super(RedisCache, self).get_many(keys, version),
            lambda: self._local.get_many(keys, version),
        )

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._degrading(
            lambda: super(RedisCache, self).has_key(key, version),
            lambda: self._local.has_key(key, version),
        )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        return self._degrading(
            lambda: super(RedisCache, self).incr(key, delta, version),
            lambda: self._local.incr(key, delta, version),
        )

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        data = dict(data)
        return self._degrading(
            lambda: super(RedisCache, self).set_many(data, timeout, version),
            lambda: self._local.set_many(data, timeout, version),
            writes=list(data),
            version=version,
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        self._degrading(
            lambda: super(RedisCache, self).delete_many(keys, version),
            lambda: self._local.delete_many(keys, version),
            writes=keys,
            version=version,
        )

    def clear(self) -> None:
        def locally() -> None:
            with self.outage.lock:
                self.outage.written.clear()
                self.outage.must_clear = True
            self._local.clear()

        self._degrading(lambda: super(RedisCache, self).clear(), locally)
