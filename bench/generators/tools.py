"""The catalog at scale: the real tree and curated tools, synthetic tools, activity.

Writes, in order: the category tree and curated tools (through the catalog
loader, exactly as ``load_catalog`` does), synthetic tools to reach
``SIZES["tools"]``, their tags, aliases and curated alternatives, then tool
follows, tool votes, pros and cons and votes on them, all skewed Zipf-like
so that a few tools get most of the attention. Counters on Tool and ProCon
are recounted from the rows at the end, so they are exact.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from bench.generators import (
    READER_FOLLOWS,
    BenchContext,
    Generator,
    weighted_index,
    zipf_cum_weights,
    zipf_share,
)
from tools.catalog import load_catalog, read_catalog
from tools.models import (
    Alias,
    Alternative,
    Category,
    ProCon,
    ProConKind,
    ProConVote,
    SearchKey,
    Tool,
    ToolFollow,
    ToolStatus,
    ToolVote,
    normalize_statement,
)
from tools.search import keys_for

PREFIXES = [
    "Aero",
    "Amber",
    "Apex",
    "Arc",
    "Astra",
    "Atlas",
    "Aurora",
    "Axon",
    "Beam",
    "Birch",
    "Blaze",
    "Bolt",
    "Brisk",
    "Cedar",
    "Cinder",
    "Cirrus",
    "Cobalt",
    "Comet",
    "Coral",
    "Crest",
    "Cypher",
    "Dash",
    "Delta",
    "Drift",
    "Dune",
    "Echo",
    "Ember",
    "Flint",
    "Flux",
    "Forge",
    "Fable",
    "Glide",
    "Granite",
    "Grove",
    "Halo",
    "Harbor",
    "Helix",
    "Hollow",
    "Indigo",
    "Ion",
    "Iris",
    "Jade",
    "Jet",
    "Juno",
    "Karma",
    "Keel",
    "Kite",
    "Lark",
    "Lattice",
    "Ledger",
    "Lumen",
    "Lynx",
    "Magma",
    "Maple",
    "Mesa",
    "Mica",
    "Mosaic",
    "Nebula",
    "Nimbus",
    "Nova",
    "Onyx",
    "Opal",
    "Orbit",
    "Pebble",
    "Pine",
    "Prism",
    "Pulse",
    "Quartz",
    "Quill",
    "Radix",
    "Raven",
    "Reef",
    "Ripple",
    "Rune",
    "Sable",
    "Sage",
    "Shard",
    "Sierra",
    "Slate",
    "Solstice",
    "Spark",
    "Spruce",
    "Strata",
    "Swift",
    "Talon",
    "Tempo",
    "Terra",
    "Thistle",
    "Tide",
    "Torrent",
    "Umbra",
    "Vale",
    "Vector",
    "Velvet",
    "Vertex",
    "Vortex",
    "Wisp",
    "Yonder",
    "Zephyr",
    "Zinc",
]
SUFFIXES = [
    "base",
    "DB",
    "flow",
    "stack",
    "kit",
    "ly",
    "ify",
    "hub",
    "mesh",
    "forge",
    "works",
    "cast",
    "grid",
    "sync",
    "queue",
    "lane",
    "scope",
    "craft",
    "pipe",
    "gate",
    "vault",
    "line",
    "point",
    "watch",
    "sense",
    "deck",
    "frame",
    "form",
    "wire",
    "pack",
    "bench",
    "yard",
    "shift",
    "dock",
    "sight",
    "mint",
    "ware",
    "store",
    "run",
    "script",
    "box",
]
QUALIFIERS = [
    "",
    "",
    "",
    "JS",
    "Cloud",
    "Pro",
    "IO",
    "Labs",
    "Studio",
    "CI",
    "OS",
    "Lite",
]
ADJECTIVES = [
    "Lightweight",
    "Fast",
    "Open",
    "Friendly",
    "Scalable",
    "Minimal",
    "Batteries-included",
    "Type-safe",
    "Hosted",
    "Self-hosted",
    "Declarative",
    "Embeddable",
]
AUDIENCES = [
    "small teams",
    "growing startups",
    "large engineering organisations",
    "data teams",
    "web developers",
    "platform teams",
    "mobile developers",
    "everyone who ships software",
]
LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-3.0", "MPL-2.0", "AGPL-3.0"]
ECOSYSTEMS = ["pypi", "npm", "cargo", "gomod", "rubygems", "packagist", "docker"]
PROS = [
    "Great documentation",
    "Easy to get started",
    "Fast",
    "Active community",
    "Open source",
    "Scales well",
    "Simple API",
    "Stable and mature",
    "Good defaults",
    "Excellent tooling",
    "Low memory footprint",
    "Free tier is generous",
    "Plays well with Docker",
    "Great performance under load",
    "Readable code",
    "Strong typing",
    "Easy to test",
    "Lots of plugins",
    "Helpful error messages",
    "Backed by a big company",
    "Quick releases",
    "Works offline",
    "Flexible",
    "Secure by default",
    "Easy to deploy",
    "Small learning curve",
    "Good for prototyping",
    "Production ready",
    "Great dashboard",
    "Cheap to run",
]
CONS = [
    "Steep learning curve",
    "Sparse documentation",
    "Slow builds",
    "Breaking changes between versions",
    "Small community",
    "Expensive at scale",
    "Hard to debug",
    "Verbose configuration",
    "Vendor lock-in",
    "Memory hungry",
    "Few integrations",
    "Confusing error messages",
    "Limited free tier",
    "Slow support",
    "No official Docker image",
    "Weak typing",
    "Poor Windows support",
    "Too much magic",
    "Hard to upgrade",
    "Young project",
    "Complex deployment",
    "Opinionated",
    "Sluggish UI",
    "Licence changed recently",
    "Missing features",
    "Unclear roadmap",
    "Flaky tests upstream",
    "Cold starts",
    "Heavy dependencies",
    "Awkward API",
]
MAX_PROCONS_PER_TOOL = 30


def generate_catalog(context: BenchContext) -> None:
    """The whole catalog and everything members did to it."""
    load_catalog(read_catalog())
    context.writer.counts["categories"] = Category.objects.count()
    context.writer.counts["curated tools"] = Tool.objects.count()
    _write_synthetic_tools(context)
    _write_follows(context)
    _write_votes(context)
    procons = _write_procons(context)
    _write_procon_votes(context, procons)
    recount(Tool, "follower_count", ToolFollow, "tool")
    recount(Tool, "vote_count", ToolVote, "tool")
    recount(ProCon, "vote_count", ProConVote, "procon")


def recount(
    model: type[Model], counter: str, rows: type[Model], foreign_key: str
) -> None:
    """Set a denormalised counter from the rows it counts, in one UPDATE."""
    counted = (
        rows._default_manager.filter(**{foreign_key: OuterRef("pk")})
        .order_by()
        .values(foreign_key)
        .annotate(n=Count("pk"))
        .values("n")
    )
    model._default_manager.update(**{counter: Coalesce(Subquery(counted), 0)})


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


GENERATOR = Generator(
    app_label="tools",
    name="catalog",
    models=(
        "tools.Category",
        "tools.Tool",
        "tools.Alias",
        "tools.SearchKey",
        "tools.Synonym",
        "tools.Alternative",
        "tools.ToolRedirect",
        "tools.ToolFollow",
        "tools.ToolVote",
        "tools.ProCon",
        "tools.ProConVote",
    ),
    run=generate_catalog,
)
