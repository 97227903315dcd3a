"""Synthetic data at scale for the benchmark: one module per app's data.

Each module exposes a ``GENERATOR``: the app whose data it writes, the
models it fills (emptied before a regeneration) and a ``run`` function that
takes the shared :class:`BenchContext` and writes through its
:class:`~bench.generators.writer.RowWriter`. They run in the order of
``GENERATORS``, which follows the apps' dependencies (accounts <- tools <-
stackups <- ...), and each draws from its own random stream seeded with the
seed and its name, so adding a generator never changes the others' rows.

``stacks.py`` writes companies, memberships, stacks with their entries and
history, company follows and the "often used with" pairings; ``decisions.py``
writes decisions, their tool tags, comments and votes, tagging tools from
the author's company stacks (``context.company_tools``). Every counter is
recounted from the rows at the end (``tools.recount``). A new app's
generator is appended to ``generators()``; the code hash changes with the
new file, so ``make bench`` regenerates by itself. A generator whose app is
not installed is skipped.
"""

from __future__ import annotations

import bisect
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Model

from bench.generators.writer import RowWriter

# Rows at scale 1; ``--scale 0.1`` writes a tenth of each (never fewer than
# the curated tools). Companies, stack entries, decisions and comments are
# written by the generators of their apps once those apps exist.
SIZES = {
    "tools": 20_000,
    "members": 100_000,
    "tool_follows": 500_000,
    "tool_votes": 300_000,
    "procon_votes": 200_000,
    "procons": 30_000,
    "stackups": 5_000,
    "companies": 20_000,
    "stack_entries": 1_000_000,
    "decisions": 100_000,
    "comments": 500_000,
    "company_follows": 200_000,
    "decision_votes": 300_000,
}
READER_USERNAME = "bench-reader"
READER_FOLLOWS = 200
READER_COMPANY_FOLLOWS = 50
ZIPF_EXPONENT = 1.05


@dataclass
class BenchContext:
    """What the generators share: the plan, the writer, and what came before."""

    scale: float
    seed: int
    now: datetime
    writer: RowWriter
    member_ids: list[int] = field(default_factory=list)
    reader_id: int = 0
    # Tool ids from most to least popular, with cumulative Zipf weights.
    tool_ids: list[int] = field(default_factory=list)
    tool_cum_weights: list[float] = field(default_factory=list)
    tool_ranks: dict[int, int] = field(default_factory=dict)
    # Written by the stacks generator, read by the decisions generator.
    company_ids: list[int] = field(default_factory=list)
    member_company: dict[int, int] = field(default_factory=dict)
    company_tools: dict[int, list[int]] = field(default_factory=dict)

    def size(self, name: str, *, minimum: int = 0) -> int:
        return max(minimum, round(SIZES[name] * self.scale))

    def rng(self, name: str) -> random.Random:
        """A random stream of its own for each generator step."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 - must repeat for a seed

    def pick_tools(self, rng: random.Random, k: int) -> set[int]:
        """About ``k`` distinct tools, popular ones far more often (Zipf-like)."""
        k = min(k, len(self.tool_ids))
        picked: set[int] = set()
        for _ in range(4):
            picked.update(
                rng.choices(
                    self.tool_ids, cum_weights=self.tool_cum_weights, k=k - len(picked)
                )
            )
            if len(picked) >= k:
                return picked
        # A heavy follower exhausts the head: the rest comes from the tail.
        rest = [tool_id for tool_id in self.tool_ids if tool_id not in picked]
        picked.update(rng.sample(rest, k - len(picked)))
        return picked

    def set_tools(self, ids_by_popularity: list[int]) -> None:
        self.tool_ids = ids_by_popularity
        self.tool_cum_weights = zipf_cum_weights(len(ids_by_popularity))
        self.tool_ranks = {
            tool_id: rank for rank, tool_id in enumerate(ids_by_popularity)
        }

    def past(
        self, rng: random.Random, *, days: float, recent_bias: float = 1.0
    ) -> datetime:
        """A moment in the last ``days`` days; a bias above 1 favours recent ones."""
        return self.now - timedelta(days=days * rng.random() ** recent_bias)


def zipf_cum_weights(n: int, exponent: float = ZIPF_EXPONENT) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative


def zipf_share(cum_weights: list[float], rank: int) -> float:
    """The share of all picks that goes to the item at ``rank`` (0 first)."""
    previous = cum_weights[rank - 1] if rank else 0.0
    return (cum_weights[rank] - previous) / cum_weights[-1]


def weighted_index(cum_weights: list[float], rng: random.Random) -> int:
    return bisect.bisect(cum_weights, rng.random() * cum_weights[-1])


@dataclass(frozen=True)
class Generator:
    """One app's share of the bench data."""

    app_label: str
    name: str
    models: tuple[str, ...]
    run: Callable[[BenchContext], None]

    @property
    def is_available(self) -> bool:
        return apps.is_installed(self.app_label)

    def model_classes(self) -> list[type[Model]]:
        return [apps.get_model(label) for label in self.models]


def generators() -> list[Generator]:
    """The generators to run, in order, for the apps installed here."""
    from bench.generators import (
        accounts,
        changes,
        decisions,
        stacks,
        stackups,
        tools,
    )

    every = [
        accounts.GENERATOR,
        tools.GENERATOR,
        stackups.GENERATOR,
        stacks.GENERATOR,
        decisions.GENERATOR,
        changes.GENERATOR,
    ]
    return [generator for generator in every if generator.is_available]


def code_hash() -> str:
    """A digest of what decides the data: the generators, the catalog files, the schema.

    Changing any of them (a new generator, a new migration) makes
    ``generate_bench_data`` and ``make bench`` regenerate.
    """
    base = Path(settings.BASE_DIR)
    paths = sorted(
        [
            *(base / "bench" / "generators").rglob("*.py"),
            *(base / "tools" / "data").glob("*.toml"),
            *base.glob("*/migrations/0*.py"),
        ]
    )
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
