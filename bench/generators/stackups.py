"""Stackups: ``SIZES["stackups"]`` comparisons, mostly of popular tools.

Most compare two tools of the same function (as people do: Flask vs
Django), some three or four; view counts follow the same skew.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bench.generators import BenchContext, Generator
from stackups.models import Stackup, StackupTool, stackup_slug
from tools.models import Tool

EDITORIAL = (
    "Both are solid choices; the difference is mostly in how much they "
    "decide for you. Pick the first for a quick start and the second when "
    "you expect to outgrow the defaults."
)


def generate_stackups(context: BenchContext) -> None:
    """Write the stackups and their tools; views decrease with rank."""
    rng = context.rng("stackups")
    total = context.size("stackups")
    slugs = dict(Tool.objects.filter(pk__in=context.tool_ids).values_list("pk", "slug"))
    function_of = dict(
        Tool.objects.filter(pk__in=context.tool_ids).values_list("pk", "function_id")
    )
    by_function: dict[int, list[int]] = {}
    for tool_id in context.tool_ids:
        by_function.setdefault(function_of[tool_id], []).append(tool_id)

    planned: dict[str, list[int]] = {}
    attempts = 0
    while len(planned) < total and attempts < total * 20:
        attempts += 1
        first = next(iter(context.pick_tools(rng, 1)))
        peers = by_function[function_of[first]][:50]
        size = 2 if rng.random() < 0.8 else rng.choice([3, 4])
        if rng.random() < 0.8 and len(peers) >= size:
            chosen = {first, *rng.sample(peers, size - 1)}
        else:
            chosen = {first} | context.pick_tools(rng, size - 1)
        if len(chosen) < 2:
            continue
        slug = stackup_slug([slugs[pk] for pk in chosen])
        planned.setdefault(slug, sorted(chosen))

    def stackup_rows() -> Iterator[tuple[Any, ...]]:
        for stackup_id, slug in enumerate(planned, start=1):
            yield (
                stackup_id,
                slug,
                int(200_000 / stackup_id**0.9 * rng.random()),
                EDITORIAL if rng.random() < 0.05 else "",
                context.past(rng, days=3 * 365),
            )

    def tool_rows() -> Iterator[tuple[Any, ...]]:
        for stackup_id, tool_ids in enumerate(planned.values(), start=1):
            for tool_id in tool_ids:
                yield (stackup_id, tool_id)

    context.writer.write(
        Stackup,
        ("id", "slug", "view_count", "differences", "created_at"),
        stackup_rows(),
        total=len(planned),
        label="stackups",
    )
    context.writer.write(
        StackupTool,
        ("stackup_id", "tool_id"),
        tool_rows(),
        total=sum(len(v) for v in planned.values()),
        label="stackup tools",
    )


GENERATOR = Generator(
    app_label="stackups",
    name="stackups",
    models=("stackups.Stackup", "stackups.StackupTool"),
    run=generate_stackups,
)
