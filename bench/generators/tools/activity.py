"""What members do to the catalog: tool follows and votes, pros and cons, and votes on those."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from bench.generators import READER_FOLLOWS, BenchContext, zipf_share
from bench.generators.tools.words import CONS, PROS
from tools.models import (
    ProCon,
    ProConKind,
    ProConVote,
    ToolFollow,
    ToolVote,
    normalize_statement,
)

MAX_PROCONS_PER_TOOL = 30


def _per_member(
    rng: random.Random, *, total: int, members: int, active: float
) -> Iterator[int]:
    """How many items each member picks: most a few, some many, a share none."""
    mean = max(total / max(members * active, 1), 1.0)
    for _ in range(members):
        if rng.random() >= active:
            yield 0
        else:
            yield min(1 + int(rng.expovariate(1 / mean) if mean > 1 else 0), 300)


def _member_tool_rows(
    context: BenchContext, name: str, total: int, active: float
) -> tuple[Iterator[tuple[Any, ...]], int]:
    rng = context.rng(name)
    counts = list(
        _per_member(rng, total=total, members=len(context.member_ids), active=active)
    )
    expected = sum(min(k, len(context.tool_ids)) for k in counts)

    def rows() -> Iterator[tuple[Any, ...]]:
        for member_id, k in zip(context.member_ids, counts, strict=True):
            for tool_id in sorted(context.pick_tools(rng, k)):
                yield (
                    member_id,
                    tool_id,
                    context.past(rng, days=3 * 365, recent_bias=1.6),
                )

    return rows(), expected


def _write_follows(context: BenchContext) -> None:
    rows, expected = _member_tool_rows(
        context, "follows", context.size("tool_follows"), active=0.75
    )
    reader = _reader_follows(context)
    context.writer.write(
        ToolFollow,
        ("user_id", "tool_id", "created_at"),
        _chain(reader, rows),
        total=expected + len(reader),
        label="tool follows",
    )


def _reader_follows(context: BenchContext) -> list[tuple[Any, ...]]:
    """The bench reader follows the 100 most popular tools and 100 from the tail."""
    rng = context.rng("reader")
    top = context.tool_ids[: READER_FOLLOWS // 2]
    rest = context.tool_ids[READER_FOLLOWS // 2 :]
    picked = top + rng.sample(rest, min(len(rest), READER_FOLLOWS - len(top)))
    return [
        (context.reader_id, tool_id, context.past(rng, days=365))
        for tool_id in sorted(picked)
    ]


def _chain(
    first: list[tuple[Any, ...]], rest: Iterator[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    yield from first
    yield from rest


def _write_votes(context: BenchContext) -> None:
    rows, expected = _member_tool_rows(
        context, "votes", context.size("tool_votes"), active=0.5
    )
    context.writer.write(
        ToolVote,
        ("user_id", "tool_id", "created_at"),
        rows,
        total=expected,
        label="tool votes",
    )


def _write_procons(context: BenchContext) -> list[tuple[int, int, int]]:
    """Pros and cons, most on popular tools; returns (procon id, tool rank, position)."""
    rng = context.rng("procons")
    total = context.size("procons")
    statements = [(ProConKind.PRO, text) for text in PROS] + [
        (ProConKind.CON, text) for text in CONS
    ]
    planned: list[tuple[Any, ...]] = []
    index: list[tuple[int, int, int]] = []
    for rank, tool_id in enumerate(context.tool_ids):
        share = zipf_share(context.tool_cum_weights, rank)
        n = min(MAX_PROCONS_PER_TOOL, int(total * share) + (rng.random() < 0.4))
        for position, (kind, text) in enumerate(rng.sample(statements, n)):
            procon_id = len(planned) + 1
            planned.append(
                (
                    procon_id,
                    tool_id,
                    kind,
                    text,
                    normalize_statement(text),
                    rng.choice(context.member_ids),
                    rng.random() < 0.02,
                    context.past(rng, days=3 * 365),
                )
            )
            index.append((procon_id, rank, position))
    context.writer.write(
        ProCon,
        (
            "id",
            "tool_id",
            "kind",
            "text",
            "normalized",
            "author_id",
            "is_hidden",
            "created_at",
        ),
        iter(planned),
        total=len(planned),
        label="pros and cons",
    )
    return index


def _write_procon_votes(
    context: BenchContext, procons: list[tuple[int, int, int]]
) -> None:
    if not procons:
        return
    rng = context.rng("procon votes")
    cumulative, running = [], 0.0
    for _, rank, position in procons:
        running += zipf_share(context.tool_cum_weights, rank) / (position + 1)
        cumulative.append(running)
    ids = [procon_id for procon_id, _, _ in procons]
    counts = list(
        _per_member(
            rng,
            total=context.size("procon_votes"),
            members=len(context.member_ids),
            active=0.4,
        )
    )
    expected = sum(min(k, len(ids)) for k in counts)

    def rows() -> Iterator[tuple[Any, ...]]:
        for member_id, k in zip(context.member_ids, counts, strict=True):
            picked = set(rng.choices(ids, cum_weights=cumulative, k=min(k, len(ids))))
            for procon_id in sorted(picked):
                yield (member_id, procon_id, context.past(rng, days=3 * 365))

    context.writer.write(
        ProConVote,
        ("user_id", "procon_id", "created_at"),
        rows(),
        total=expected,
        label="procon votes",
    )
