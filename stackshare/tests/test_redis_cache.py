"""The Redis back end reuses its clients and degrades instead of failing."""

from __future__ import annotations

import logging
import signal
import socket
import time
from pathlib import Path

import pytest

from stackshare.redis_cache import RedisCache
from stackshare.tests.conftest import redis_caches


def make_cache(url: str, **params) -> RedisCache:
    return RedisCache(url, {**redis_caches(url)["default"], **params})


def wait_until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_one_client_per_pool_is_reused():
    cache = RedisCache("redis://127.0.0.1:6390/0", {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert client.connection_pool is cache._cache._get_connection_pool(True)  # type: ignore[attr-defined]  # private to Django, not in django-stubs


def test_every_cache_method_works_while_redis_is_down(tmp_path: Path):
    """No server behind the socket: each call answers from process memory."""
    cache = make_cache(f"unix://{tmp_path}/nobody-here.sock")
    started = time.monotonic()

    assert cache.add("counter", 1, 60) is True
    assert cache.add("counter", 5, 60) is False
    assert cache.incr("counter") == 2
    assert cache.decr("counter") == 1
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")  # the contract callers rely on
    cache.set("page", b"<html>", 60)
    assert cache.get("page") == b"<html>"
    assert cache.get("missing", "default") == "default"
    assert cache.has_key("page")
    assert cache.touch("page", 120)
    cache.set_many({"a": 1, "b": 2}, None)
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.get_or_set("built", lambda: "once", 60) == "once"
    assert cache.get_or_set("built", lambda: "twice", 60) == "once"
    assert cache.delete("page")
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b"]) == {}
    cache.clear()
    assert cache.get("counter") is None

    assert cache.is_available() is False
    assert time.monotonic() - started < 1


def test_a_cache_without_local_fallback_keeps_nothing_while_redis_is_down(
    tmp_path: Path,
):
    """Sessions: a miss sends the reader to the database."""
    cache = make_cache(f"unix://{tmp_path}/nobody-here.sock", LOCAL_FALLBACK=False)
    cache.set("session", {"user": 1}, 60)
    assert cache.get("session") is None


def test_a_hung_redis_costs_one_socket_timeout_per_retry_period():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        host, port = listener.getsockname()
        cache = make_cache(f"redis://{host}:{port}/0", RETRY_SECONDS=60)
        started = time.monotonic()
        assert cache.get("page", "rebuilt") == "rebuilt"
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(100):
            cache.get("page")
        rest = time.monotonic() - started
    finally:
        listener.close()
    assert first < 0.75  # the 0.25 s connect or 0.4 s read timeout
    assert rest < 0.1  # left alone meanwhile


def test_one_warning_per_outage_and_redis_used_again_after_it(redis_server, caplog):
    cache = make_cache(redis_server.url)
    cache.set("kept", "in redis", 60)
    redis_server.kill()
    with caplog.at_level(logging.INFO, logger="stackshare.redis_cache"):
        for _ in range(50):
            cache.get("kept")
        time.sleep(0.4)  # past RETRY_SECONDS: the next call probes, fails again
        for _ in range(50):
            cache.get("kept")
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert "unavailable" in warnings[0].getMessage()

        redis_server.start()
        wait_until(lambda: cache.add("probe", 1, 60) and cache.is_available())
        cache.set("after", "in redis again", 60)
        assert redis_server.client().exists(":1:after")
        assert any("available again" in r.getMessage() for r in caplog.records)


def test_writes_made_while_redis_hung_are_dropped_from_it_afterwards(redis_server):
    """Redis keeps its data through a hang; what the site wrote meanwhile must
    not come back from it: a bumped version, a deleted session."""
    cache = make_cache(redis_server.url)
    cache.set_many({"version:tool": 1, "version:other": 7}, None)
    cache.set("session:abc", {"user": 1}, 600)
    process = redis_server.process
    process.send_signal(signal.SIGSTOP)
    try:
        cache.set_many({"version:tool": 2}, None)  # times out, then local
        assert cache.get("version:tool") == 2
        cache.delete("session:abc")  # a logout
    finally:
        process.send_signal(signal.SIGCONT)

    wait_until(lambda: cache.get("version:other") == 7)  # Redis again
    raw = redis_server.client()
    assert not raw.exists(":1:version:tool")  # starts anew, never the stale 1
    assert cache.get("version:tool") is None
    assert cache.get("session:abc") is None
    assert raw.exists(":1:version:other")  # untouched keys stay


def test_a_process_that_wrote_too_much_meanwhile_clears_redis(
    redis_server, monkeypatch
):
    """It cannot list what went stale, so nothing in Redis may be trusted."""
    monkeypatch.setattr("stackshare.redis_cache.REMEMBERED_KEYS", 3)
    cache = make_cache(redis_server.url)
    cache.set("older", "from before the outage", 600)
    process = redis_server.process
    process.send_signal(signal.SIGSTOP)
    try:
        for n in range(5):
            cache.set(f"version:{n}", n, None)
    finally:
        process.send_signal(signal.SIGCONT)

    raw = redis_server.client()

    def written() -> bool:
        cache.set("after", 1, 60)
        return bool(raw.exists(":1:after"))

    wait_until(written)
    assert not raw.exists(":1:older")
    assert cache.get("older") is None
