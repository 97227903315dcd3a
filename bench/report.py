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
TARGET_GROWTH = 1.3
# An anonymous page's p95 while members import, over its p95 without (issue 13).
TARGET_IMPORT_LOAD = 2.0


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
) -> dict[str, Any]:
    """The document of ``bench/results.json``.

    ``baselines`` are the runs around the pages (one more than pages, in
    the order of ``measure_sequence``); ``pages`` are (name, run, queries);
    ``small_p95`` the p95 of the key pages at the small scale.
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
    document = {
        "scale": scale,
        "baseline": {"rps": round(fmean(run.rps for run in baselines), 1)},
        "pages": entries,
        "growth": growth,
    }
    if import_load is not None:
        document["import_load"] = import_load
    return document


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
    growth = {row["name"]: row["p95_ratio"] for row in document["growth"]}
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
    return "\n".join(lines)
