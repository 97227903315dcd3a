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
decisions, members, searches: the evaluation's hand-judged queries) an even
spread over all its addresses from an empty
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
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import with_postgres  # noqa: E402
from bench_runner.measures import (  # noqa: E402
    measure,
    measure_api_push,
    measure_import_load,
    measure_spread,
)
from bench_runner.servers import (  # noqa: E402
    DATA,
    manage,
    prepare_database,
    redis_server,
    server_env,
    start_postgres,
)
from bench_runner.sites import Site  # noqa: E402

from bench import report  # noqa: E402

MISSING_TOOLS = 2


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
        default="tools,categories,stackups,companies,stacks,decisions,members,searches",
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
