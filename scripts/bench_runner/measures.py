"""The measured runs: every page, the import load, the API push and the spread runs."""

from __future__ import annotations

import argparse
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from bench import report
from bench_runner.members import Importer, Writer
from bench_runner.servers import DATA, manage
from bench_runner.sites import Site

IMPORT_LOAD_PAGE = "tool"


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
