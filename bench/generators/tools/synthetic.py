"""Synthetic tools up to ``SIZES["tools"]``: their rows, tags, aliases, search keys, alternatives."""

from __future__ import annotations

import random
from typing import Any

from django.utils.text import slugify

from bench.generators import BenchContext, weighted_index, zipf_cum_weights
from bench.generators.tools.words import (
    ADJECTIVES,
    AUDIENCES,
    CONS,
    ECOSYSTEMS,
    LICENSES,
    PREFIXES,
    PROS,
    QUALIFIERS,
    SUFFIXES,
)
from tools.models import Alias, Alternative, Category, SearchKey, Tool, ToolStatus
from tools.search import keys_for


def _write_synthetic_tools(context: BenchContext) -> None:
    rng = context.rng("tools")
    functions = list(
        Category.objects.functions().order_by("pk").values_list("pk", "name")
    )
    function_weights = zipf_cum_weights(len(functions), exponent=0.6)
    rng.shuffle(functions)
    curated = list(
        Tool.objects.order_by("-github_stars", "pk").values_list(
            "pk", "function_id", "status"
        )
    )
    taken = set(Tool.objects.values_list("slug", flat=True))
    first_id = max((pk for pk, _, _ in curated), default=0) + 1
    count = max(0, context.size("tools") - len(curated))
    planned: list[tuple[Any, ...]] = []
    for tool_id in range(first_id, first_id + count):
        name = _tool_name(rng, taken)
        function_id, function_name = functions[weighted_index(function_weights, rng)]
        planned.append(
            _tool_row(context, rng, tool_id, name, function_id, function_name)
        )
    context.writer.write(Tool, TOOL_FIELDS, iter(planned), total=count, label="tools")

    # Popularity: the curated tools (real, well known) mostly lead, the
    # synthetic ones fill the long tail with a few breaking into the top.
    keyed = [
        (position / max(len(curated), 1) * 0.3 + rng.random() * 0.1, pk)
        for position, (pk, _, status) in enumerate(curated)
        if status == ToolStatus.APPROVED
    ] + [
        (0.1 + rng.random(), row[0])
        for row in planned
        if row[STATUS] == ToolStatus.APPROVED
    ]
    context.set_tools([pk for _, pk in sorted(keyed)])

    by_function: dict[int, list[int]] = {}
    function_of = _function_lookup(curated, planned)
    for tool_id in context.tool_ids:
        by_function.setdefault(function_of[tool_id], []).append(tool_id)
    _write_tags(context, rng, planned, [pk for pk, _ in functions])
    aliases = _write_aliases(context, rng, planned)
    _write_search_keys(context, planned, aliases)
    _write_alternatives(context, rng, planned, by_function)


TOOL_FIELDS = (
    "id",
    "name",
    "slug",
    "function_id",
    "tagline",
    "description",
    "website",
    "repository_url",
    "license",
    "is_open_source",
    "status",
    "is_deprecated",
    "github_stars",
    "github_forks",
    "github_pushed_at",
    "created_at",
    "updated_at",
)
STATUS = TOOL_FIELDS.index("status")


def _function_lookup(
    curated: list[tuple[int, int, str]], planned: list[tuple[Any, ...]]
) -> dict[int, int]:
    lookup = {pk: function_id for pk, function_id, _ in curated}
    lookup.update((row[0], row[3]) for row in planned)
    return lookup


def _tool_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = f"{rng.choice(PREFIXES)}{rng.choice(SUFFIXES)}"
        qualifier = rng.choice(QUALIFIERS)
        if qualifier:
            name = f"{name} {qualifier}"
        slug = slugify(name)
        if slug in taken:
            name = f"{name} {rng.randint(2, 99)}"
            slug = slugify(name)
        if slug not in taken:
            taken.add(slug)
            return name


def _tool_row(
    context: BenchContext,
    rng: random.Random,
    tool_id: int,
    name: str,
    function_id: int,
    function_name: str,
) -> tuple[Any, ...]:
    slug = slugify(name)
    is_open_source = rng.random() < 0.6
    has_repository = is_open_source and rng.random() < 0.9
    stars = int(50_000 * rng.paretovariate(1.2) / 10) if has_repository else None
    adjective, audience = rng.choice(ADJECTIVES), rng.choice(AUDIENCES)
    description = (
        f"{name} is a {adjective.lower()} option in {function_name.lower()}, "
        f"built for {audience}. It covers the common cases out of the box and "
        f"stays out of the way for the rest.\n\nTeams pick it for its "
        f"{rng.choice(PROS).lower()} and put up with its "
        f"{rng.choice(CONS).lower()}."
    )
    roll = rng.random()
    status = (
        ToolStatus.APPROVED
        if roll < 0.97
        else ToolStatus.PENDING
        if roll < 0.99
        else ToolStatus.REJECTED
    )
    created = context.past(rng, days=8 * 365, recent_bias=0.8)
    return (
        tool_id,
        name,
        slug,
        function_id,
        f"{adjective} {function_name.lower()} for {audience}"[:120],
        description,
        f"https://{slug}.example.com/",
        f"https://github.com/{slug}/{slug}" if has_repository else "",
        rng.choice(LICENSES) if is_open_source else "Proprietary",
        is_open_source,
        status,
        rng.random() < 0.01,
        stars,
        stars // 8 if stars is not None else None,
        context.past(rng, days=400, recent_bias=2) if has_repository else None,
        created,
        created,
    )


def _write_tags(
    context: BenchContext,
    rng: random.Random,
    planned: list[tuple[Any, ...]],
    function_ids: list[int],
) -> None:
    rows = []
    for row in planned:
        if rng.random() < 0.15:
            for function_id in set(rng.sample(function_ids, rng.randint(1, 2))):
                if function_id != row[3]:
                    rows.append((row[0], function_id))
    context.writer.write(
        Tool.tags.through,
        ("tool_id", "category_id"),
        iter(rows),
        total=len(rows),
        label="tags",
    )


def _write_aliases(
    context: BenchContext, rng: random.Random, planned: list[tuple[Any, ...]]
) -> list[tuple[int, str, str]]:
    taken = set(Alias.objects.values_list("ecosystem", "name"))
    rows = []
    for row in planned:
        if rng.random() < 0.5:
            key = (rng.choice(ECOSYSTEMS), row[2])
            if key not in taken:
                taken.add(key)
                rows.append((row[0], *key))
    context.writer.write(
        Alias,
        ("tool_id", "ecosystem", "name"),
        iter(rows),
        total=len(rows),
        label="aliases",
    )
    return rows


def _write_search_keys(
    context: BenchContext,
    planned: list[tuple[Any, ...]],
    aliases: list[tuple[int, str, str]],
) -> None:
    """The synthetic tools' search keys, as ``tools.search.index_tools``
    writes them (the loader indexed the curated ones)."""
    packages: dict[int, list[tuple[str, str]]] = {}
    for tool_id, ecosystem, name in aliases:
        packages.setdefault(tool_id, []).append((ecosystem, name))
    rows = [
        (row[0], key, kind)
        for row in planned
        for key, kind in sorted(
            keys_for(name=row[1], slug=row[2], aliases=packages.get(row[0], ()))
        )
    ]
    context.writer.write(
        SearchKey,
        ("tool_id", "key", "kind"),
        iter(rows),
        total=len(rows),
        label="search keys",
    )


def _write_alternatives(
    context: BenchContext,
    rng: random.Random,
    planned: list[tuple[Any, ...]],
    by_function: dict[int, list[int]],
) -> None:
    rows = []
    for row in planned:
        if rng.random() < 0.1:
            candidates = [pk for pk in by_function.get(row[3], [])[:20] if pk != row[0]]
            for position, pk in enumerate(
                rng.sample(candidates, min(3, len(candidates)))
            ):
                rows.append((row[0], pk, position))
    context.writer.write(
        Alternative,
        ("tool_id", "alternative_id", "position"),
        iter(rows),
        total=len(rows),
        label="alternatives",
    )
