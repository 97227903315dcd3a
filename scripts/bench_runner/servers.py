"""The servers ``make bench`` runs: PostgreSQL, Redis, the environment gunicorn gets, manage.py."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import with_postgres

ROOT = Path(__file__).resolve().parents[2]
# Outside the package and ignored by git: the cluster, logs, address lists.
DATA = ROOT / ".bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
SERVE_KEY = ROOT / ".serve-secret-key"
# Generous for a bulk load and 16 connections' worth of pooled workers.
PG_SETTINGS = "-c shared_buffers=512MB -c work_mem=16MB -c maintenance_work_mem=256MB"


def start_postgres(root: Path, bindir: Path) -> bool:
    """Start the bench cluster; False when it was running already (and stays up)."""
    if with_postgres.is_running(root, bindir=bindir):
        print(f"bench: reusing the running PostgreSQL cluster in {root}")
        return False
    with_postgres.start_cluster(root, bindir=bindir, settings=PG_SETTINGS)
    print(f"bench: PostgreSQL cluster in {root.relative_to(ROOT)}")
    return True


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server on a Unix socket in .bench/, without persistence."""
    path = DATA / "redis.sock"
    process = subprocess.Popen(
        [
            "redis-server",
            "--port", "0",
            "--unixsocket", str(path),
            "--save", "",
            "--appendonly", "no",
            "--maxmemory", "512mb",
            "--maxmemory-policy", "allkeys-lru",
        ],
        stdout=(DATA / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(path.exists, "Redis")
        yield f"unix://{path}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def server_env(redis_url: str) -> dict[str, str]:
    """What ``make serve`` sets, plus Redis and the bench app (the baseline page)."""
    if not SERVE_KEY.exists():
        SERVE_KEY.write_text(secrets.token_urlsafe(50) + "\n")
    return {
        **os.environ,
        "DJANGO_SECRET_KEY": SERVE_KEY.read_text().strip(),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SERVE_MEDIA": "1",
        "REDIS_URL": redis_url,
        # Installs the bench app: its commands and the baseline page.
        "DJANGO_BENCH": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def prepare_database(root: Path, scale: float, env: dict[str, str]) -> str:
    """The database of this scale, migrated and filled (skipped when fresh)."""
    import psycopg

    name = "bench_scale_" + f"{scale:g}".replace(".", "_")
    with psycopg.connect(
        host=str(root), user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = with_postgres.database_url(root, name)
    db_env = {**env, "DATABASE_URL": url}
    manage(["migrate", "--no-input", "-v0"], db_env)
    started = time.monotonic()
    manage(["generate_bench_data", "--scale", f"{scale:g}"], db_env)
    print(f"bench: data at scale {scale:g} ready in {time.monotonic() - started:.1f} s")
    return url


def manage(args: list[str], env: dict[str, str], **kwargs: Any) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def wait_for(
    ready: Any, what: str, *, process: subprocess.Popen[Any] | None = None
) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        if process is not None and process.poll() is not None:
            raise SystemExit(f"bench: {what} exited; see its log in .bench/")
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: {what} did not start within a minute")
        time.sleep(0.2)
