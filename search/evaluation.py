"""Measure the ranking on the hand-judged queries of ``search/eval/queries.tsv``.

Plain functions, so the arithmetic is tested without a catalog; the
``evaluate_search`` command runs them on the current database and
``scripts/search_eval.py`` (``make search-eval``) on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUERIES = Path(__file__).resolve().parent / "eval" / "queries.tsv"


@dataclass(frozen=True)
class Judged:
    query: str
    expected: frozenset[str]
    kind: str


def read_queries(path: Path = QUERIES) -> list[Judged]:
    """The judged queries: tab-separated query, slugs ("a|b"), kind."""
    judged = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected, kind = line.split("\t")
        judged.append(Judged(query, frozenset(expected.split("|")), kind))
    return judged


def score(
    judged: Iterable[Judged], ranked: Callable[[str], list[str]]
) -> dict[str, Any]:
    """Top-1 and top-3 accuracy of ``ranked`` (query -> slugs, best first),
    overall and per kind, with the misses and every query's top three."""
    hits1 = hits3 = total = 0
    kinds: dict[str, list[int]] = {}
    misses = []
    tops = {}
    for item in judged:
        top = ranked(item.query)[:3]
        tops[item.query] = top
        first = bool(top) and top[0] in item.expected
        within = bool(item.expected & set(top))
        total += 1
        hits1 += first
        hits3 += within
        counts = kinds.setdefault(item.kind, [0, 0, 0])
        counts[0] += 1
        counts[1] += first
        counts[2] += within
        if not first:
            misses.append(
                {"query": item.query, "expected": sorted(item.expected), "got": top}
            )
    return {
        "top1": round(hits1 / total, 4) if total else 0.0,
        "top3": round(hits3 / total, 4) if total else 0.0,
        "by_kind": {
            kind: {"queries": n, "top1": round(a / n, 4), "top3": round(b / n, 4)}
            for kind, (n, a, b) in sorted(kinds.items())
        },
        "misses": misses,
        "tops": tops,
    }
