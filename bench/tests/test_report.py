"""The benchmark's arithmetic and its results file, without a server."""

from __future__ import annotations

import json

import pytest

from bench import report


def wrk_output(requests=1000, seconds=2.0, p95_us=12_000, status=0):
    line = json.dumps(
        {
            "requests": requests,
            "duration_us": int(seconds * 1e6),
            "p50_us": 5_000,
            "p95_us": p95_us,
            "p99_us": 20_000,
            "connect": 0,
            "read": 1,
            "write": 0,
            "status": status,
            "timeout": 0,
        }
    )
    return f"Running 2s test @ http://127.0.0.1:1/\n  1 threads and 16 connections\nBENCH {line}\n"


def test_parse_wrk_reads_the_lua_report():
    """rps, percentiles in milliseconds, and every kind of error summed."""
    run = report.parse_wrk(wrk_output(requests=1000, seconds=2.0, status=4))
    assert run.rps == 500
    assert (run.p50_ms, run.p95_ms, run.p99_ms) == (5, 12, 20)
    assert run.errors == 5


def test_parse_wrk_without_a_report_says_why():
    with pytest.raises(report.WrkOutputError, match="connection refused"):
        report.parse_wrk("unable to connect: connection refused")


def test_ratio_uses_the_neighbouring_baselines():
    """A page is compared to the mean of the baseline runs just before and after it."""
    page = report.parse_wrk(wrk_output(requests=300, seconds=1))
    before = report.parse_wrk(wrk_output(requests=1000, seconds=1))
    after = report.parse_wrk(wrk_output(requests=500, seconds=1))
    assert report.ratio(page, before, after) == pytest.approx(0.4)


def test_measure_sequence_alternates_baseline_and_pages():
    assert report.measure_sequence(["a", "b"]) == [
        "baseline",
        "a",
        "baseline",
        "b",
        "baseline",
    ]


def test_results_follow_the_issue_schema(tmp_path):
    """scale, baseline rps, pages with their fields, and p95 growth of the key pages."""
    baselines = [
        report.parse_wrk(wrk_output(requests=n, seconds=1)) for n in (1000, 800, 1200)
    ]
    tool = report.parse_wrk(wrk_output(requests=450, seconds=1, p95_us=13_000))
    feed = report.parse_wrk(wrk_output(requests=100, seconds=1))
    document = report.results(
        scale=1.0,
        baselines=baselines,
        pages=[("tool", tool, 5), ("feed signed-in", feed, 7)],
        small_p95={"tool": 10.0},
    )
    path = tmp_path / "results.json"
    report.write_results(path, document)
    loaded = json.loads(path.read_text())
    assert set(loaded) == {"scale", "baseline", "pages", "growth", "cold", "spread"}
    assert loaded["baseline"] == {"rps": 1000.0}
    assert [set(page) for page in loaded["pages"]] == [
        {"name", "rps", "p50_ms", "p95_ms", "p99_ms", "errors", "queries", "ratio"}
    ] * 2
    assert loaded["pages"][0]["ratio"] == 0.5  # 450 over the mean of 1000 and 800
    assert loaded["pages"][1]["ratio"] == 0.1  # 100 over the mean of 800 and 1200
    assert loaded["growth"] == [{"name": "tool", "p95_ratio": 1.3}]


def test_cold_renders_and_their_growth_between_scales():
    """results.json lists one cold render per kind; growth compares their medians."""
    run = report.parse_wrk(wrk_output())
    document = report.results(
        scale=1.0,
        baselines=[run],
        pages=[],
        small_p95={},
        cold=[{"name": "tools", "p50_ms": 26.0, "p95_ms": 50.0, "samples": 25}],
        small_cold=[{"name": "tools", "p50_ms": 20.0, "p95_ms": 40.0}],
    )
    assert document["cold"] == [{"name": "tools", "p50_ms": 26.0, "p95_ms": 50.0}]
    assert document["growth"] == [{"name": "cold tools", "cold_p50_ratio": 1.3}]
    assert "cold tools       p50   26.0 ms  p95   50.0 ms!" in report.table(document)


def test_spread_entries_report_ratio_hit_rate_and_write_cost():
    """A spread run against its baselines, with the page cache's hit rate; a
    run with writes also reports the share of throughput the writes cost."""
    line = wrk_output(requests=100, seconds=1).replace(
        '"timeout": 0', '"timeout": 0, "hits": 75, "misses": 25'
    )
    zipf = report.parse_wrk(line)
    assert zipf.hit_rate == 0.75
    baseline = report.parse_wrk(wrk_output(requests=1000, seconds=1))
    plain = report.spread_entry("tools", "zipf", zipf, baseline, baseline)
    assert (plain["ratio"], plain["hit_rate"]) == (0.1, 0.75)
    assert "write_cost" not in plain
    loaded = report.parse_wrk(wrk_output(requests=80, seconds=1))
    writes = report.spread_entry(
        "tools", "zipf+writes", loaded, baseline, baseline, without=plain
    )
    assert writes["mode"] == "zipf+writes"
    assert writes["write_cost"] == pytest.approx(0.2)
    assert "10.0%" in report.spread_line(plain)
    assert "8.0%!" in report.spread_line(writes)


def test_results_need_a_baseline_around_every_page():
    run = report.parse_wrk(wrk_output())
    with pytest.raises(ValueError, match="baseline"):
        report.results(scale=1, baselines=[run], pages=[("tool", run, 1)], small_p95={})


def test_table_marks_pages_that_miss_their_target():
    """Anonymous pages need 35%, signed-in ones 10%; growth above 1.3 is flagged."""
    document = {
        "scale": 1,
        "baseline": {"rps": 1000},
        "pages": [
            {
                "name": "tool",
                "rps": 400,
                "p50_ms": 1,
                "p95_ms": 2,
                "p99_ms": 3,
                "errors": 0,
                "queries": 5,
                "ratio": 0.4,
            },
            {
                "name": "tool signed-in",
                "rps": 50,
                "p50_ms": 1,
                "p95_ms": 2,
                "p99_ms": 3,
                "errors": 0,
                "queries": 9,
                "ratio": 0.05,
            },
        ],
        "growth": [{"name": "tool", "p95_ratio": 1.5}],
    }
    lines = report.table(document, warm_queries={"tool": 0}).splitlines()
    tool = next(line for line in lines if line.startswith("tool "))
    signed_in = next(line for line in lines if line.startswith("tool signed-in"))
    assert "5/0" in tool
    assert "≥35% " in tool
    assert "1.50!" in tool
    assert "≥10%!" in signed_in


def test_import_load_compares_p95_with_the_runs_around_it():
    """The loaded p95 over the mean p95 of the runs just before and after."""
    before = report.parse_wrk(wrk_output(requests=1000, p95_us=10_000))
    after = report.parse_wrk(wrk_output(requests=1000, p95_us=14_000))
    loaded = report.parse_wrk(wrk_output(requests=600, p95_us=30_000))
    load = report.import_load(
        page="tool",
        without=[before, after],
        loaded=loaded,
        import_seconds=[0.2, 0.4, 0.3, 0.9],
        import_statuses=[200, 200, 200, 429],
        members=5,
        imports_per_member=0,
        worst_import_cpu_s=[0.25, 0.2, 0.3],
    )
    assert load["p95_without_ms"] == 12.0
    assert load["ratio"] == 2.5
    assert load["imports_per_member"] == "continuous"
    assert (load["imports"], load["import_errors"]) == (4, 1)
    assert (load["import_p50_ms"], load["worst_import_cpu_ms"]) == (300.0, 250.0)
    document = report.results(
        scale=1.0,
        baselines=[before, after],
        pages=[("tool", loaded, 5)],
        small_p95={},
        import_load=load,
    )
    assert document["import_load"] == load
    line = report.table(document).splitlines()[-1]
    assert line.startswith("under import load (5 members")
    assert "x2.50!" in line  # over the target of x2
