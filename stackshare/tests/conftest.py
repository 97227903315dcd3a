"""Throw-away servers for the fault tests: a Redis to stop and start.

Without ``redis-server`` (apt-get install redis-server) these tests are
skipped, with a notice at the end of the run; in CI (``CI=true``) that is a
failure instead, as for the PostgreSQL and browser suites.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

MISSING: list[str] = []


def require_binary(name: str, *, package: str) -> str:
    """The path of ``name``; skip the test without it (fail in CI)."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} not found (apt-get install {package})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: fault tests cannot run in CI without it")
    MISSING.append(reason)
    pytest.skip(f"!!! {reason}: fault test SKIPPED (CI=true makes this an error)")
    raise AssertionError  # pytest.skip raised


def pytest_terminal_summary(terminalreporter):
    for reason in sorted(set(MISSING)):
        terminalreporter.write_line(
            f"!!! {reason}: fault tests were SKIPPED (CI=true makes this an error)",
            yellow=True,
            bold=True,
        )


class RedisServer:
    """A redis-server on a Unix socket of its own, without persistence,
    bounded as production's is (README, "Production")."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.socket = folder / "redis.sock"
        self.log = folder / "redis.log"
        self.url = f"unix://{self.socket}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own arguments)
            [
                self.binary,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--save", "",
                "--appendonly", "no",
                "--maxmemory", "64mb",
                "--maxmemory-policy", "allkeys-lru",
            ],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server did not start: {self.log}")
            time.sleep(0.02)

    def kill(self) -> None:
        """Stop it the hard way, as a crash would."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None
        self.socket.unlink(missing_ok=True)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=1)

    def answers(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.exceptions.RedisError:
            return False


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    binary = require_binary("redis-server", package="redis-server")
    # Unix socket paths are limited to about 100 bytes, which tmp_path can pass.
    folder = Path(tempfile.mkdtemp(prefix="ss-redis-"))
    server = RedisServer(binary, folder)
    server.start()
    try:
        yield server
    finally:
        server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def redis_caches(url: str, *, retry_seconds: float = 0.3) -> dict[str, dict[str, Any]]:
    """CACHES as production sets them (stackshare.settings), for ``url``;
    Redis is tried again sooner after a failure, so tests need not wait."""
    cache = {
        "BACKEND": "stackshare.redis_cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.4},
        "RETRY_SECONDS": retry_seconds,
    }
    return {"default": cache, "sessions": {**cache, "LOCAL_FALLBACK": False}}


@pytest.fixture
def redis_settings(settings, redis_server):
    """The site's cache and sessions on the throw-away Redis, pages cached."""
    settings.CACHES = redis_caches(redis_server.url)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.PAGE_CACHE_SECONDS = 300
    return settings
