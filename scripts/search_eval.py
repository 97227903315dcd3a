#!/usr/bin/env python3
"""``make search-eval``: search and autocomplete accuracy on SQLite and PostgreSQL.

For each database: a fresh one (a temporary SQLite file; a throw-away
PostgreSQL cluster from scripts/with_postgres.py), migrated and loaded with
the curated catalog as ``make run`` loads it, then ``manage.py
evaluate_search`` over the hand-judged queries of search/eval/queries.tsv.
Writes search-eval.json at the repository root:

    {"queries", "sqlite": {"search": {"top1", "top3"}, "autocomplete": {...}},
     "postgresql": {...}, "top3_differences": [...], "targets": {...}}

and prints the figures, the misses and the queries whose top three differ
between the databases. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TARGETS = {"top1": 0.95, "top3": 0.99}
KINDS = ("search", "autocomplete")


def run_on(database_url: str | None, output: Path) -> None:
    """Migrate, load the catalog and evaluate, on DATABASE_URL (or a command
    that supplies it, for PostgreSQL)."""
    steps = " && ".join(
        [
            f"{PYTHON} manage.py migrate --no-input -v0",
            f"{PYTHON} manage.py load_catalog -v0",
            f"{PYTHON} manage.py evaluate_search -v0 --output {output}",
        ]
    )
    env = {**os.environ, "DJANGO_ALLOW_DEVELOPMENT_KEY": "1"}
    command = ["sh", "-c", steps]
    if database_url is None:
        command = [sys.executable, "scripts/with_postgres.py", "--", *command]
    else:
        env["DATABASE_URL"] = database_url
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def figures(result: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {kind: {k: result[kind][k] for k in ("top1", "top3")} for kind in KINDS}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="search-eval-") as tmp:
        folder = Path(tmp)
        run_on(f"sqlite:///{folder / 'eval.sqlite3'}", folder / "sqlite.json")
        run_on(None, folder / "postgresql.json")
        results = {
            name: json.loads((folder / f"{name}.json").read_text())
            for name in ("sqlite", "postgresql")
        }
    sqlite, postgresql = results["sqlite"], results["postgresql"]
    differences = [
        {
            "query": query,
            "sqlite": top,
            "postgresql": postgresql["search"]["tops"].get(query),
        }
        for query, top in sqlite["search"]["tops"].items()
        if postgresql["search"]["tops"].get(query) != top
    ]
    report = {
        "queries": sqlite["queries"],
        "sqlite": figures(sqlite),
        "postgresql": figures(postgresql),
        "top3_differences": differences,
        "targets": TARGETS,
    }
    (ROOT / "search-eval.json").write_text(json.dumps(report, indent=2) + "\n")

    missed = False
    print(f"\n{report['queries']} hand-judged queries (search/eval/queries.tsv)")
    print(
        f"{'':12}{'search top-1':>14}{'top-3':>8}{'autocomplete top-1':>20}{'top-3':>8}"
    )
    for name, result in results.items():
        row = figures(result)
        cells = []
        for kind in KINDS:
            for measure in ("top1", "top3"):
                value = row[kind][measure]
                ok = value >= TARGETS[measure]
                missed |= not ok
                cells.append(f"{value:.2%}{'' if ok else ' !'}")
        print(f"{name:12}{cells[0]:>14}{cells[1]:>10}{cells[2]:>20}{cells[3]:>10}")
    for name, result in results.items():
        for kind in KINDS:
            for miss in result[kind]["misses"]:
                print(
                    f"  miss ({name} {kind}): {miss['query']!r} "
                    f"wanted {'|'.join(miss['expected'])}, got {miss['got']}"
                )
    for difference in differences:
        print(f"  top three differ: {difference}")
    print(f"Targets: top-1 >= {TARGETS['top1']:.0%}, top-3 >= {TARGETS['top3']:.0%}.")
    print("Written to search-eval.json.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
