#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL cluster.

    python3 scripts/with_postgres.py -- pytest -m "not browser"

The cluster lives in a temporary folder (initdb + pg_ctl from the server
binaries, listening only on a Unix socket there) and is removed afterwards.
The command sees its address in DATABASE_URL. Exit status 3 means no
PostgreSQL server binaries were found. Standard library only.
``start_cluster``/``stop_cluster`` also serve ``make bench``, whose cluster
persists under .bench/.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

NO_POSTGRES = 3


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, else Debian's layout."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def server_user() -> str | None:
    """PostgreSQL refuses to run as root; run it as "postgres" then."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        sys.exit("with_postgres: running as root needs a 'postgres' system user")
    return "postgres"


def start_cluster(root: Path, *, bindir: Path, settings: str = "") -> None:
    """Create the cluster in ``root/data`` unless it exists, then start it.

    It listens only on a Unix socket in ``root``. ``settings`` adds server
    options (``-c name=value ...``). A cluster left in ``root`` by an earlier
    run is reused (``make bench`` keeps its data between runs).
    """
    user = server_user()
    data, log = root / "data", root / "server.log"
    root.mkdir(parents=True, exist_ok=True)
    if user:
        shutil.chown(root, user=user)
    if not (data / "PG_VERSION").exists():
        initdb: list[str | Path] = [
            bindir / "initdb",
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]
        subprocess.run(initdb, check=True, stdout=subprocess.DEVNULL, user=user)
    # Durability settings are off: this cluster is thrown away (or, for the
    # benchmark, regenerated at will), and loads are much faster without fsync.
    options = (
        f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        f"-c full_page_writes=off -c max_connections=200 {settings}"
    )
    start: list[str | Path] = [
        bindir / "pg_ctl",
        "-D",
        data,
        "-o",
        options,
        "-l",
        log,
        "-w",
        "start",
    ]
    subprocess.run(start, check=True, stdout=subprocess.DEVNULL, user=user)


def stop_cluster(root: Path, *, bindir: Path, mode: str = "fast") -> None:
    """Stop the cluster in ``root`` if it runs."""
    user = server_user()
    data = root / "data"
    if (data / "postmaster.pid").exists():
        stop: list[str | Path] = [
            bindir / "pg_ctl",
            "-D",
            data,
            "-m",
            mode,
            "-w",
            "stop",
        ]
        subprocess.run(stop, check=False, stdout=subprocess.DEVNULL, user=user)


def is_running(root: Path, *, bindir: Path) -> bool:
    """Whether the cluster in ``root`` is up (``pg_ctl status``)."""
    user = server_user()
    command: list[str | Path] = [bindir / "pg_ctl", "-D", root / "data", "status"]
    status = subprocess.run(command, capture_output=True, check=False, user=user)
    return status.returncode == 0


def database_url(root: Path, name: str = "postgres") -> str:
    return f"postgres://postgres@{quote(str(root), safe='')}/{name}"


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        sys.exit(__doc__)
    bindir = find_bindir()
    if bindir is None:
        print(
            "with_postgres: no PostgreSQL server binaries (initdb) found",
            file=sys.stderr,
        )
        return NO_POSTGRES
    root = Path(tempfile.mkdtemp(prefix="stackshare-pg-"))
    try:
        start_cluster(root, bindir=bindir)
        env = dict(os.environ, DATABASE_URL=database_url(root))
        print(f"with_postgres: throw-away cluster at {root}", file=sys.stderr)
        return subprocess.run(argv, env=env, check=False).returncode
    finally:
        stop_cluster(root, bindir=bindir, mode="immediate")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
