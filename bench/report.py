"""Reading wrk's runs and writing ``bench/results.json`` and the terminal table.

Plain functions on plain data, so the benchmark's arithmetic is tested
without a server: each page's ratio is its throughput over the mean of the
baseline runs measured just before and just after it, so drift of a shared
machine cancels out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import Any

MARKER = "BENCH "
# Throughput a page must reach, as a share of the baseline's (issue 8).
TARGET_ANONYMOUS = 0.35
TARGET_SIGNED_IN = 0.10
# Search and autocomplete keep their ratio against the bare view (issue 14).
TARGET_SEARCH = 0.60
# The API's tool answers (issue 15) and the migration and radar pages (issue
# 16) must reach half the bare view anonymously.
TARGET_HALF = 0.50
HALF_PAGES = {"api tool", "api tools (filtered, sorted)", "migration", "company radar"}
TARGET_GROWTH = 1.3
# An anonymous page's p95 while members import, over its p95 without (issue 13).
TARGET_IMPORT_LOAD = 2.0
# Issue 19: a cold render's server time, and spread runs against the baseline.
TARGET_COLD_P50_MS = 25.0
TARGET_COLD_P95_MS = 60.0
TARGET_SPREAD = {"even": 0.05, "zipf": 0.10}
TARGET_WRITE_COST = 0.20
# Every request of the benchmark asks for compressed pages, as browsers and
# crawlers do (bench/wrk_spread.lua sends the same).
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


class WrkOutputError(ValueError):
    """wrk printed no report line (it failed to start or to connect)."""


@dataclass(frozen=True)
class Run:
    """One wrk run against one address."""

    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    # The page cache's answers (X-Cache), counted by the spread runs only.
    hits: int = 0
    misses: int = 0

    @property
    def hit_rate(self) -> float:
        answered = self.hits + self.misses
        return self.hits / answered if answered else 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> Run:
    """The Run in the line our Lua reporter adds to wrk's output."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            errors = sum(
                data[kind] for kind in ("connect", "read", "write", "status", "timeout")
            )
            return Run(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p95_ms=data["p95_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                errors=errors,
                hits=data.get("hits", 0),
                misses=data.get("misses", 0),
            )
    raise WrkOutputError(output.strip()[-500:] or "wrk printed nothing")


def ratio(page: Run, before: Run, after: Run) -> float:
    """Page throughput over the mean of its two neighbouring baseline runs."""
    baseline = fmean([before.rps, after.rps])
    return page.rps / baseline if baseline else 0.0


def target_for(name: str) -> float:
    if "signed-in" in name:
        return TARGET_SIGNED_IN
    if name in {"search", "autocomplete"}:
        return TARGET_SEARCH
    if name in HALF_PAGES:
        return TARGET_HALF
    return TARGET_ANONYMOUS


def page_entry(name: str, run: Run, *, queries: int, ratio_: float) -> dict[str, Any]:
    return {
        "name": name,
        "rps": round(run.rps, 1),
        "p50_ms": round(run.p50_ms, 2),
        "p95_ms": round(run.p95_ms, 2),
        "p99_ms": round(run.p99_ms, 2),
        "errors": run.errors,
        "queries": queries,
        "ratio": round(ratio_, 3),
    }


def measure_sequence(pages: list[str]) -> list[str]:
    """baseline, page, baseline, page, ..., baseline: what to run, in order."""
    order = ["baseline"]
    for page in pages:
        order += [page, "baseline"]
    return order


def results(
    *,
    scale: float,
    baselines: list[Run],
    pages: list[tuple[str, Run, int]],
    small_p95: dict[str, float],
    import_load: dict[str, Any] | None = None,
    cold: list[dict[str, Any]] = (),  # type: ignore[assignment]  # an empty, never-mutated default
    small_cold: list[dict[str, Any]] = (),  # type: ignore[assignment]  # an empty, never-mutated default
    spread: list[dict[str, Any]] = (),  # type: ignore[assignment]  # an empty, never-mutated default
) -> dict[str, Any]:
    """The document of ``bench/results.json``.

    ``baselines`` are the runs around the pages (one more than pages, in
    the order of ``measure_sequence``); ``pages`` are (name, run, queries);
    ``small_p95`` the p95 of the key pages at the small scale; ``cold``
    and ``small_cold`` the cold renders per kind of page at this scale and
    the small one (growth compares their medians); ``spread`` the entries
    of :func:`spread_entry`.
    """
    if len(baselines) != len(pages) + 1:
        raise ValueError("Expected one baseline run before and after every page.")
    entries = [
        page_entry(
            name,
            run,
            queries=queries,
            ratio_=ratio(run, baselines[i], baselines[i + 1]),
        )
        for i, (name, run, queries) in enumerate(pages)
    ]
    growth = [
        {"name": name, "p95_ratio": round(run.p95_ms / small_p95[name], 2)}
        for name, run, _ in pages
        if small_p95.get(name)
    ]
    small = {row["name"]: row for row in small_cold}
    growth += [
        {
            "name": f"cold {row['name']}",
            "cold_p50_ratio": round(row["p50_ms"] / small[row["name"]]["p50_ms"], 2),
        }
        for row in cold
        if row["name"] in small and small[row["name"]]["p50_ms"]
    ]
    document = {
        "scale": scale,
        "baseline": {"rps": round(fmean(run.rps for run in baselines), 1)},
        "pages": entries,
        "growth": growth,
        "cold": [
            {"name": row["name"], "p50_ms": row["p50_ms"], "p95_ms": row["p95_ms"]}
            for row in cold
        ],
        "spread": list(spread),
    }
    if import_load is not None:
        document["import_load"] = import_load
    return document


def spread_entry(
    name: str,
    mode: str,
    run: Run,
    before: Run,
    after: Run,
    *,
    without: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One spread run against its neighbouring baselines.

    ``without`` is the same kind's plain Zipf entry: a run with writes
    reports the share of that throughput the writes cost.
    """
    entry: dict[str, Any] = {
        "name": name,
        "mode": mode,
        "ratio": round(ratio(run, before, after), 3),
        "hit_rate": round(run.hit_rate, 3),
        "rps": round(run.rps, 1),
        "p50_ms": round(run.p50_ms, 2),
        "p95_ms": round(run.p95_ms, 2),
        "errors": run.errors,
    }
    if without is not None:
        cost = 1 - entry["ratio"] / without["ratio"] if without["ratio"] else 0.0
        entry["write_cost"] = round(max(0.0, cost), 3)
    return entry


def spread_line(entry: dict[str, Any]) -> str:
    """A spread run in one line, marked with ! when it misses a target."""
    mode = entry["mode"]
    if "writes_per_second" in entry:
        mode += f" {entry['writes_per_second']:g}/s"
    target = TARGET_SPREAD.get(entry["mode"].split("+")[0], 0.0)
    ok = entry["ratio"] >= target and not entry["errors"]
    text = (
        f"{entry['name']:<11} {mode:<15} {entry['rps']:8,.0f} rps "
        f"{entry['ratio']:6.1%}{'' if ok else '!'} (target >= {target:.0%}) "
        f"hits {entry['hit_rate']:4.0%}  p95 {entry['p95_ms']:7.1f} ms"
    )
    if "write_cost" in entry:
        mark = "" if entry["write_cost"] <= TARGET_WRITE_COST else "!"
        text += (
            f"  write cost {entry['write_cost']:.0%}{mark} "
            f"({entry.get('writes', 0)} writes, {entry.get('write_errors', 0)} failed)"
        )
    return text


def cold_line(row: dict[str, Any]) -> str:
    ok = row["p50_ms"] <= TARGET_COLD_P50_MS and row["p95_ms"] <= TARGET_COLD_P95_MS
    return (
        f"cold {row['name']:<11} p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms"
        f"{'' if ok else '!'} (target <= {TARGET_COLD_P50_MS:g} / {TARGET_COLD_P95_MS:g} ms)"
    )


def percentile(values: list[float], share: float) -> float:
    """The value below which this share of the values lie (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def import_load(
    *,
    page: str,
    without: list[Run],
    loaded: Run,
    import_seconds: list[float],
    import_statuses: list[int],
    members: int,
    imports_per_member: int,
    worst_import_cpu_s: list[float],
) -> dict[str, Any]:
    """A page measured alone, under members' imports, and alone again.

    ``without`` are the runs just before and after the loaded one; the
    page's p95 under load is compared with their mean, so drift of a shared
    machine cancels out as it does for the baseline ratios.
    """
    reference = fmean(run.p95_ms for run in without)
    return {
        "page": page,
        "members": members,
        "imports_per_member": imports_per_member or "continuous",
        "p95_without_ms": round(reference, 2),
        "p95_with_ms": round(loaded.p95_ms, 2),
        "ratio": round(loaded.p95_ms / reference, 2) if reference else 0.0,
        "rps_without": round(fmean(run.rps for run in without), 1),
        "rps_with": round(loaded.rps, 1),
        "errors": loaded.errors,
        "imports": len(import_statuses),
        "import_errors": sum(status != 200 for status in import_statuses),
        "import_p50_ms": round(percentile(import_seconds, 0.5) * 1000, 1),
        "import_p95_ms": round(percentile(import_seconds, 0.95) * 1000, 1),
        "worst_import_cpu_ms": round(
            percentile(worst_import_cpu_s, 0.5) * 1000 if worst_import_cpu_s else 0, 1
        ),
    }


def import_load_line(load: dict[str, Any]) -> str:
    """The import-load result in one sentence, marked with ! when over its target."""
    mark = "" if load["ratio"] <= TARGET_IMPORT_LOAD and not load["errors"] else "!"
    pace = (
        "each posting again as soon as answered"
        if load["imports_per_member"] == "continuous"
        else f"{load['imports_per_member']} each per run"
    )
    return (
        f"under import load ({load['members']} members importing the worst allowed "
        f"import, {pace}): {load['page']} p95 {load['p95_without_ms']:.1f} ms -> "
        f"{load['p95_with_ms']:.1f} ms, x{load['ratio']:.2f}{mark} "
        f"(target <= x{TARGET_IMPORT_LOAD:g}); rps {load['rps_without']:,.0f} -> "
        f"{load['rps_with']:,.0f}; {load['imports']} imports, p50 "
        f"{load['import_p50_ms']:.0f} ms, p95 {load['import_p95_ms']:.0f} ms, "
        f"{load['import_errors']} refused or failed; worst import "
        f"{load['worst_import_cpu_ms']:.0f} ms CPU in-process"
    )


def write_results(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")


def table(
    document: dict[str, Any], *, warm_queries: dict[str, int] | None = None
) -> str:
    """The results as a fixed-width table, with each page against its target."""
    warm_queries = warm_queries or {}
    growth = {
        row["name"]: row["p95_ratio"]
        for row in document["growth"]
        if "p95_ratio" in row
    }
    header = (
        f"{'page':<28} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'queries':>8} {'ratio':>6} {'target':>7} {'p95 x':>6}"
    )
    lines = [
        f"scale {document['scale']:g}, baseline {document['baseline']['rps']:,.0f} rps",
        header,
        "-" * len(header),
    ]
    for page in document["pages"]:
        target = target_for(page["name"])
        ok = page["ratio"] >= target and page["errors"] == 0
        queries = str(page["queries"])
        if page["name"] in warm_queries:
            queries += f"/{warm_queries[page['name']]}"
        grown = growth.get(page["name"])
        grown_text = f"{grown:.2f}" if grown is not None else ""
        if grown is not None and grown > TARGET_GROWTH:
            grown_text += "!"
        lines.append(
            f"{page['name']:<28} {page['rps']:>8,.0f} {page['p50_ms']:>8.1f} "
            f"{page['p95_ms']:>8.1f} {page['p99_ms']:>8.1f} {page['errors']:>7} "
            f"{queries:>8} {page['ratio']:>6.0%} {'≥' + format(target, '.0%'):>6}{' ' if ok else '!'} "
            f"{grown_text:>6}"
        )
    lines.append(
        "queries: cold cache/warm cache; ratio: page rps over its neighbouring "
        "baselines'; p95 x: p95 at this scale over p95 at the small one; ! misses its target."
    )
    if "import_load" in document:
        lines.append(import_load_line(document["import_load"]))
    lines += [cold_line(row) for row in document.get("cold", [])]
    for row in document["growth"]:
        if "cold_p50_ratio" in row:
            mark = "!" if row["cold_p50_ratio"] > TARGET_GROWTH else ""
            lines.append(
                f"growth {row['name']}: p50 x{row['cold_p50_ratio']:.2f}{mark}"
            )
    lines += [spread_line(entry) for entry in document.get("spread", [])]
    return "\n".join(lines)
