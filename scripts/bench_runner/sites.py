"""The site at one scale: its gunicorn, its cache, and wrk runs against it."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

from bench import report
from bench_runner.servers import DATA, ROOT, manage, wait_for

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = ROOT / "bench" / "wrk_report.lua"
SPREAD_LUA = ROOT / "bench" / "wrk_spread.lua"


class Site:
    """The site at one scale: its database, its Redis database, its gunicorn."""

    def __init__(
        self,
        args: argparse.Namespace,
        env: dict[str, str],
        database_url: str,
        scale: float,
        *,
        redis_db: int,
    ) -> None:
        self.args = args
        self.scale = scale
        self.tag = f"{scale:g}".replace(".", "_")
        # Each scale caches in a Redis database of its own: the same address
        # shows different data at each scale.
        self.env = {
            **env,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"{env['REDIS_URL']}?db={redis_db}",
        }
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.plan: dict[str, Any] = {}
        self.importers: dict[str, Any] = {"importers": [], "worst_import_cpu_s": []}
        self.writers: list[dict[str, str]] = []
        self.address_dir = DATA / f"addresses-{self.tag}"

    def prepare(self) -> None:
        """Empty its cache, then list its pages and count their queries."""
        flush_redis(self.env["REDIS_URL"])
        pages_file = DATA / f"pages-{self.tag}.json"
        with (DATA / f"bench_pages-{self.tag}.log").open("w") as log:
            manage(
                [
                    "bench_pages",
                    "--output",
                    str(pages_file),
                    "--addresses",
                    str(self.address_dir),
                    "--cold",
                    str(self.args.cold),
                ],
                self.env,
                stderr=log,
            )
        self.plan = json.loads(pages_file.read_text())
        for row in self.plan.get("cold", []):
            print(
                f"bench: scale {self.scale:g}, cold {row['name']:<11} "
                f"p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms"
            )

    def addresses(self, kind: str) -> list[str]:
        return (self.address_dir / f"{kind}.txt").read_text().split()

    def prepare_writers(self) -> None:
        """Sign in the members who write during the zipf+writes runs."""
        if not self.args.spread or not self.args.write_rates.strip():
            return
        writers_file = DATA / f"writers-{self.tag}.json"
        with (DATA / f"bench_writers-{self.tag}.log").open("w") as log:
            manage(
                [
                    "bench_importers",
                    "--members",
                    "5",
                    "--measure",
                    "0",
                    "--output",
                    str(writers_file),
                ],
                self.env,
                stderr=log,
            )
        self.writers = json.loads(writers_file.read_text())["importers"]

    def flush_cache(self) -> None:
        import redis

        redis.Redis.from_url(self.env["REDIS_URL"]).flushdb()

    def prepare_importers(self) -> None:
        """Sign the importing members in and time the worst import in-process."""
        if not self.args.import_members:
            return
        importers_file = DATA / f"importers-{self.tag}.json"
        with (DATA / f"bench_importers-{self.tag}.log").open("w") as log:
            manage(
                [
                    "bench_importers",
                    "--members",
                    str(self.args.import_members),
                    "--output",
                    str(importers_file),
                ],
                self.env,
                stderr=log,
            )
        self.importers = json.loads(importers_file.read_text())

    @contextlib.contextmanager
    def server(self) -> Iterator[None]:
        """gunicorn as ``make serve`` starts it, access log to a file."""
        access_log = DATA / f"gunicorn-access-{self.tag}.log"
        access_log.unlink(missing_ok=True)
        server_log = (DATA / f"gunicorn-{self.tag}.log").open("w")
        process = subprocess.Popen(
            [
                GUNICORN,
                "stackshare.wsgi",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env={**self.env, "GUNICORN_ACCESS_LOG": str(access_log)},
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(
                lambda: healthy(f"{self.base}/healthz"), "gunicorn", process=process
            )
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            server_log.close()

    def warm(self, page: dict[str, Any] | None, seconds: float) -> None:
        # One request on its own first, so a slow page fills its cache
        # entry instead of 16 connections missing it at once.
        self.fetch(page)
        self.wrk(page, seconds)

    def settle(self) -> None:
        """Wait until the server has worked off requests a finished run left queued.

        wrk hangs up when its time is over, but sync workers still answer
        the requests already accepted; the next run starts once a bare
        request is answered quickly again.
        """
        deadline = time.monotonic() + 60
        fast = 0
        while fast < 3 and time.monotonic() < deadline:
            started = time.monotonic()
            self.fetch(None)
            fast = fast + 1 if time.monotonic() - started < 0.05 else 0

    def fetch(self, page: dict[str, Any] | None) -> None:
        path, headers = self.request_of(page)
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310 - our own server
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=60).close()  # noqa: S310 - our own server

    def request_of(self, page: dict[str, Any] | None) -> tuple[str, dict[str, str]]:
        path = page["path"] if page else "/bench/baseline/"
        headers = {"Accept-Encoding": report.ACCEPT_ENCODING}
        headers.update(page["headers"] if page else {})
        if page and page["signed_in"]:
            headers["Cookie"] = self.plan["cookie"]
        return path, headers

    def wrk_spread(
        self, kind: str, mode: str, seconds: float, *, settle: bool = True
    ) -> report.Run:
        """wrk over every address of a kind, evenly or Zipf-like."""
        command = [
            "wrk", "-t1", f"-c{self.args.connections}",
            f"-d{max(1, round(seconds))}s", "--timeout", "10s",
            "-s", str(SPREAD_LUA), self.base,
            "--", str(self.address_dir / f"{kind}.txt"), mode,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if settle:
            self.settle()
        return report.parse_wrk(done.stdout + done.stderr)

    def wrk(
        self, page: dict[str, Any] | None, seconds: float, *, settle: bool = True
    ) -> report.Run:
        path, headers = self.request_of(page)
        command = [
            "wrk",
            "-t1",
            f"-c{self.args.connections}",
            f"-d{max(1, round(seconds))}s",  # wrk takes whole seconds
            "--timeout", "10s",
            "-s", str(LUA),
        ]  # fmt: skip
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        done = subprocess.run(
            [*command, self.base + path], capture_output=True, text=True, check=False
        )
        if settle:
            self.settle()
        return report.parse_wrk(done.stdout + done.stderr)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushall()


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
            return bool(response.status == 200)
    except OSError:
        return False
