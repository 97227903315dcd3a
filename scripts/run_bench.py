#!/usr/bin/env python3
"""``make bench``: the site at scale on PostgreSQL, measured with wrk.

    .venv/bin/python scripts/run_bench.py --scale 1 --duration 10

Starts a PostgreSQL cluster kept in .bench/pg (one database per scale,
regenerated only when the generators, the catalog files or the schema
changed), a Redis server, and gunicorn exactly as ``make serve`` runs it
(gunicorn.conf.py, debug off, 127.0.0.1) with the baseline page on. Then,
after a warm-up, it drives every page with wrk at 16 connections: the key
pages at the small scale (for p95 growth), then every page at the chosen
scale, each between two baseline runs. Last, the anonymous tool page once
more while members post the worst stack import the limits allow (``bench/
imports.py``), between two runs without them. Then the spread runs: for
each kind of page (tools, categories, stackups, companies, stacks,
decisions, members) an even spread over all its addresses from an empty
cache (a crawler), a Zipf spread (readers), and the Zipf spread again while
members follow and vote on tools and edit their stacks at each of
``--write-rates`` writes a second, then the Zipf spread once more (the
writes' cost is measured against the mean of the plain Zipf runs around
them), each between two baseline runs; and one
cold render per kind timed in-process (``bench_pages``). Prints a table and writes
bench/results.json. Needs wrk and redis-server (apt-get install redis-server
wrk) and PostgreSQL's server binaries. Worker settings come from the
environment as for gunicorn.conf.py (WEB_CONCURRENCY, GUNICORN_WORKER_CLASS,
GUNICORN_THREADS), so configurations can be compared run by run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import with_postgres  # noqa: E402

from bench import report  # noqa: E402
from bench.imports import multipart, worst_case_files  # noqa: E402

# Outside the package and ignored by git: the cluster, logs, address lists.
DATA = ROOT / ".bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = ROOT / "bench" / "wrk_report.lua"
SPREAD_LUA = ROOT / "bench" / "wrk_spread.lua"
SERVE_KEY = ROOT / ".serve-secret-key"
# Generous for a bulk load and 16 connections' worth of pooled workers.
PG_SETTINGS = "-c shared_buffers=512MB -c work_mem=16MB -c maintenance_work_mem=256MB"
MISSING_TOOLS = 2
IMPORT_LOAD_PAGE = "tool"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--small-scale", type=float, default=0.1)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pages", default="", help="only pages whose name has this")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument(
        "--import-members",
        type=int,
        default=5,
        help="members importing during the import-load run (0: no such run)",
    )
    parser.add_argument(
        "--imports-per-member",
        type=int,
        default=2,
        help="imports each member posts in that run, evenly spaced (2 in a 10 s "
        "run is 12 a minute, above any sensible rate limit on imports); 0: each "
        "posts again as soon as it is answered, a flood of requests",
    )
    parser.add_argument(
        "--spread",
        default="tools,categories,stackups,companies,stacks,decisions,members",
        help="kinds of page with spread runs, comma-separated ('' for none)",
    )
    parser.add_argument(
        "--write-rates",
        default="2,10",
        help="writes a second of the zipf+writes runs, comma-separated",
    )
    parser.add_argument(
        "--cold", type=int, default=25, help="cold renders timed per kind of page"
    )
    args = parser.parse_args(argv)

    bindir = with_postgres.find_bindir()
    missing = [cmd for cmd in ("wrk", "redis-server") if shutil.which(cmd) is None]
    if bindir is None:
        missing.append("PostgreSQL server binaries (initdb)")
    if missing or bindir is None:
        print(
            f"make bench needs {', '.join(missing)}. On Debian: "
            "apt-get install redis-server wrk postgresql",
            file=sys.stderr,
        )
        return MISSING_TOOLS
    DATA.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        pg_root = DATA / "pg"
        if start_postgres(pg_root, bindir):
            stack.callback(with_postgres.stop_cluster, pg_root, bindir=bindir)
        redis_url = stack.enter_context(redis_server())
        env = server_env(redis_url)
        scales = sorted({args.small_scale, args.scale})
        urls = {scale: prepare_database(pg_root, scale, env) for scale in scales}
        manage(
            ["collectstatic", "--no-input", "-v0"],
            {**env, "DATABASE_URL": urls[args.scale]},
        )

        # Both scales are served at once (the idle one costs nothing), so
        # each key page is measured at the small scale right after the big
        # one and the p95 growth compares neighbouring runs too.
        sites = [
            Site(args, env, urls[scale], scale, redis_db=i)
            for i, scale in enumerate(sorted(scales, reverse=True))
        ]
        for site in sites:
            site.prepare()
        sites[0].prepare_importers()
        sites[0].prepare_writers()
        for site in sites:
            stack.enter_context(site.server())
        full = measure(args, sites[0], sites[1] if len(sites) > 1 else None)
        load = measure_import_load(args, sites[0])
        api_push = measure_api_push(sites[0])
        spread = measure_spread(args, sites[0])
    document = report.results(
        scale=args.scale,
        baselines=full["baselines"],
        pages=full["pages"],
        small_p95=full["small_p95"],
        import_load=load,
        cold=sites[0].plan.get("cold", []),
        small_cold=sites[1].plan.get("cold", []) if len(sites) > 1 else [],
        spread=spread,
    )
    if api_push is not None:
        document["api_push"] = api_push
    report.write_results(args.output, document)
    print()
    print(report.table(document, warm_queries=full["warm_queries"]))
    if api_push is not None:
        print(
            f"api push of {api_push['packages']} packages: median "
            f"{api_push['median_ms']} ms, worst {api_push['max_ms']} ms "
            f"over {len(api_push['ms'])} pushes (statuses {api_push['statuses']})"
        )
    for note in full["skipped"]:
        print(f"skipped {note['name']}: {note['reason']}")
    shown = args.output.resolve()
    print(
        f"\nwritten to {shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown}"
    )
    return 0


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


def measure(args: argparse.Namespace, big: Site, small: Site | None) -> dict[str, Any]:
    """Warm up, then baseline, page (and its small-scale twin), baseline, ..."""
    pages = [page for page in big.plan["pages"] if args.pages in page["name"]]
    twins = {page["name"]: page for page in small.plan["pages"]} if small else {}
    print(f"\nbench: scale {big.scale:g}, {len(pages)} pages, {args.duration:g} s each")
    warm = max(1.0, args.duration / 5)
    for site in filter(None, [big, small]):
        for page in [None, *site.plan["pages"]]:
            if page is None or page["key"] or site is big:
                site.warm(page, warm)
    baselines = [big.wrk(None, args.duration)]
    runs, small_p95 = [], {}
    for page in pages:
        run = big.wrk(page, args.duration)
        runs.append((page["name"], run, page["queries"]))
        line = f"  {page['name']:<28} {run.rps:8.0f} rps  p95 {run.p95_ms:7.1f} ms  errors {run.errors}"
        twin = twins.get(page["name"])
        if small and twin and page["key"]:
            small_run = small.wrk(twin, args.duration)
            small_p95[page["name"]] = small_run.p95_ms
            line += f"   (scale {small.scale:g}: p95 {small_run.p95_ms:.1f} ms)"
        print(line)
        baselines.append(big.wrk(None, args.duration))
    return {
        "baselines": baselines,
        "pages": runs,
        "small_p95": small_p95,
        "skipped": big.plan["skipped"],
        "warm_queries": {page["name"]: page["queries_warm"] for page in pages},
    }


def measure_import_load(args: argparse.Namespace, site: Site) -> dict[str, Any] | None:
    """The anonymous tool page alone, while members import, and alone again."""
    page = next((p for p in site.plan["pages"] if p["name"] == IMPORT_LOAD_PAGE), None)
    if page is None or not args.import_members:
        return None
    entries = site.importers["importers"]
    importers = [
        Importer(
            site.base,
            entry,
            args.imports_per_member,
            args.duration,
            offset=index / len(entries),
        )
        for index, entry in enumerate(entries)
    ]
    print(
        f"\nbench: {page['name']} under import load, {len(importers)} members "
        f"({args.imports_per_member or 'continuous'} imports each)"
    )
    before = site.wrk(page, args.duration)
    stop = threading.Event()
    threads = [threading.Thread(target=i.run, args=(stop,)) for i in importers]
    for thread in threads:
        thread.start()
    loaded = site.wrk(page, args.duration, settle=False)
    stop.set()
    for thread in threads:
        thread.join()
    site.settle()
    after = site.wrk(page, args.duration)
    load = report.import_load(
        page=page["name"],
        without=[before, after],
        loaded=loaded,
        import_seconds=[s for i in importers for s in i.seconds],
        import_statuses=[s for i in importers for s in i.statuses],
        members=len(importers),
        imports_per_member=args.imports_per_member,
        worst_import_cpu_s=site.importers["worst_import_cpu_s"],
    )
    print("  " + report.import_load_line(load))
    return load


def measure_api_push(site: Site) -> dict[str, Any] | None:
    """Time CI pushes of 200-package scans to a company stack (api/)."""
    push_file = DATA / f"api_push-{site.tag}.json"
    with (DATA / f"bench_api_push-{site.tag}.log").open("w") as log:
        try:
            manage(["bench_api_push", "--output", str(push_file)], site.env, stderr=log)
        except subprocess.CalledProcessError:
            return None
    plan = json.loads(push_file.read_text())
    timings, statuses = [], []
    for body in plan["bodies"]:
        request = urllib.request.Request(  # noqa: S310 - our own server
            site.base + plan["path"],
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {plan['token']}",
                "Content-Type": "application/json",
            },
        )
        begun = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                response.read()
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        timings.append(round((time.monotonic() - begun) * 1000, 1))
    return {
        "packages": len(plan["bodies"][0]["packages"]),
        "ms": timings,
        "median_ms": sorted(timings)[len(timings) // 2],
        "max_ms": max(timings),
        "statuses": sorted(set(statuses)),
    }


def measure_spread(args: argparse.Namespace, site: Site) -> list[dict[str, Any]]:
    """Each kind's spread runs, each between two baseline runs."""
    kinds = [k for k in args.spread.split(",") if k in site.plan.get("kinds", {})]
    rates = [float(rate) for rate in args.write_rates.split(",") if rate.strip()]
    if not kinds:
        return []
    print(f"\nbench: spread runs over {', '.join(kinds)}")
    entries = []
    tools = site.addresses("tools")
    for kind in kinds:
        before = site.wrk(None, args.duration)
        site.flush_cache()  # the crawler meets an empty cache
        even = site.wrk_spread(kind, "even", args.duration)
        after = site.wrk(None, args.duration)
        entries.append(report.spread_entry(kind, "even", even, before, after))
        # Readers first fill the cache as they would in a steady state.
        site.wrk_spread(kind, "zipf", args.duration)
        zipf = site.wrk_spread(kind, "zipf", args.duration)
        before, after = after, site.wrk(None, args.duration)
        plain = report.spread_entry(kind, "zipf", zipf, before, after)
        entries.append(plain)
        loaded_runs = []
        for rate in rates:
            writers = [
                Writer(site.base, entry, tools, rate / len(site.writers), seed=index)
                for index, entry in enumerate(site.writers)
            ]
            stop = threading.Event()
            threads = [threading.Thread(target=w.run, args=(stop,)) for w in writers]
            for thread in threads:
                thread.start()
            loaded = site.wrk_spread(kind, "zipf", args.duration, settle=False)
            stop.set()
            for thread in threads:
                thread.join()
            site.settle()
            before, after = after, site.wrk(None, args.duration)
            loaded_runs.append((rate, writers, loaded, before, after))
        # The cache keeps warming while the runs go on: the writes' cost is
        # measured against plain Zipf runs on either side of them.
        again = site.wrk_spread(kind, "zipf", args.duration)
        before, after = after, site.wrk(None, args.duration)
        reference = {
            "ratio": (
                plain["ratio"]
                + report.spread_entry(kind, "zipf", again, before, after)["ratio"]
            )
            / 2
        }
        for rate, writers, loaded, before, after in loaded_runs:
            entry = report.spread_entry(
                kind, "zipf+writes", loaded, before, after, without=reference
            )
            entry["writes_per_second"] = rate
            entry["writes"] = sum(len(w.statuses) for w in writers)
            entry["write_errors"] = sum(
                status >= 400 or status == 0 for w in writers for status in w.statuses
            )
            entries.append(entry)
        for entry in entries[-2 - len(rates) :]:
            print("  " + report.spread_line(entry))
    return entries


class Writer:
    """One member following and voting on tools and editing their stack, paced."""

    def __init__(
        self,
        base: str,
        entry: dict[str, str],
        tools: list[str],
        per_second: float,
        *,
        seed: int,
    ) -> None:
        import random

        self.base = base
        self.entry = entry
        self.slugs = [path.strip("/").split("/")[-1] for path in tools]
        self.interval = 1 / per_second if per_second else 0.0
        self.rng = random.Random(seed)  # noqa: S311 - picks tools, not secrets
        self.weights = [1 / k for k in range(1, len(self.slugs) + 1)]
        self.state: dict[tuple[str, str], bool] = {}
        self.statuses: list[int] = []

    def run(self, stop: threading.Event) -> None:
        started = time.monotonic() + self.rng.random() * self.interval
        while not stop.is_set():
            due = started + len(self.statuses) * self.interval
            wait = due - time.monotonic()
            if wait > 0 and stop.wait(wait):
                return
            self.write()

    def write(self) -> None:
        """Follow, vote or edit the stack in turn, each undone the next time."""
        (slug,) = self.rng.choices(self.slugs, weights=self.weights)
        action = ("follow", "vote", "stack")[len(self.statuses) % 3]
        on = not self.state.get((action, slug), False)
        self.state[(action, slug)] = on
        fields = {"csrfmiddlewaretoken": self.entry["csrf"]}
        if action == "stack":
            stack = self.entry["stack"]
            if on:
                path, fields["tool"] = f"/stacks/{stack}/tools/", slug
            else:
                path = f"/stacks/{stack}/tools/{slug}/remove/"
        else:
            path = f"/tools/{slug}/{action}/"
            fields["state"] = "on" if on else "off"
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + path,
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "Cookie": self.entry["cookie"],
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
                self.statuses.append(response.status)
        except urllib.error.HTTPError as error:
            self.statuses.append(error.code)
        except OSError:
            self.statuses.append(0)


class Importer:
    """One member posting the worst allowed import, in a thread of the runner."""

    def __init__(
        self,
        base: str,
        entry: dict[str, str],
        count: int,
        seconds: float,
        *,
        offset: float = 0.0,
    ) -> None:
        self.url = base + entry["path"]
        self.body, content_type = multipart(
            {"csrfmiddlewaretoken": entry["csrf"]}, worst_case_files()
        )
        self.headers = {"Cookie": entry["cookie"], "Content-Type": content_type}
        self.count = count
        # Spread over the run, each member shifted by its share of a step, so
        # paced imports arrive evenly rather than all at once.
        self.interval = seconds / count if count else 0.0
        self.offset = offset * self.interval
        self.seconds: list[float] = []
        self.statuses: list[int] = []

    def run(self, stop: threading.Event) -> None:
        started = time.monotonic()
        while not stop.is_set() and (not self.count or len(self.statuses) < self.count):
            due = started + self.offset + len(self.statuses) * self.interval
            wait = due - time.monotonic()
            if wait > 0 and stop.wait(wait):
                return
            self.post()

    def post(self) -> None:
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.url, data=self.body, headers=self.headers, method="POST"
        )
        begun = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        self.seconds.append(time.monotonic() - begun)
        self.statuses.append(status)


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
        headers = dict(page["headers"]) if page else {}
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
