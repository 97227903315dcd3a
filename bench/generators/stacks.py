"""Companies and stacks: ``SIZES["companies"]`` companies, ``SIZES["stack_entries"]`` entries.

Writes, in order: companies (a few far more followed than the rest), their
memberships (an owner, sometimes editors, members), stacks owned by
companies and by members with entries picked Zipf-like (a few tools are in
most stacks), a history row for every addition over the last two years plus
tools added and removed again, company follows (the bench reader follows
``READER_COMPANY_FOLLOWS``), and the "often used with" pairings. The
counters (``Tool.stack_count``, ``Stack.item_count``, ``Company.tool_count``
and ``follower_count``) are recounted from the rows at the end.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils.text import slugify

from bench.generators import (
    READER_COMPANY_FOLLOWS,
    BenchContext,
    Generator,
    zipf_cum_weights,
)
from bench.generators.accounts import CITIES, COMPANY_SUFFIXES, COMPANY_WORDS
from bench.generators.tools import recount
from stacks.models import (
    Company,
    CompanyFollow,
    CompanyMembership,
    CompanySize,
    HistoryAction,
    Industry,
    Provenance,
    Role,
    Stack,
    StackHistory,
    StackItem,
    ToolPairing,
    rank_of,
)
from stacks.services import rebuild_adoption, rebuild_recent_adoption
from stackshare.planner import analyze
from tools.models import Tool

NAME_ENDINGS = ["", "", "ly", "io", "hub", "works", "base", "stack", "net", "wave"]
STACK_NAMES = [
    "Main product",
    "Data platform",
    "Mobile app",
    "Internal tools",
    "Marketing site",
    "Payments",
]
MEMBER_STACK_NAMES = ["Side project", "Homelab", "Personal site", "Open source work"]
MANIFESTS = [
    "requirements.txt",
    "pyproject.toml",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "Gemfile",
    "Dockerfile",
    "docker-compose.yml",
]
NOTES = [
    "Fast enough and everyone knows it.",
    "Replaced an in-house tool that nobody wanted to maintain.",
    "The managed offering saves us an on-call rotation.",
    "Came with the acquisition; it stayed because it works.",
    "Chosen after a two-week spike against the alternatives.",
]
HISTORY_DAYS = 2 * 365
# Member-owned stacks per company, and the share of entries added then removed.
MEMBER_STACKS_PER_COMPANY = 0.5
REMOVED_SHARE = 0.06
MAX_STACK_SIZE = 400
# Pairs found together in fewer stacks are left out: at scale 1 the full
# table holds millions of pairs nobody reads, while the pages show the
# strongest few per tool.
PAIRING_MIN_STACKS = 3
PAIRINGS_PER_TOOL = 100


def generate_stacks(context: BenchContext) -> None:
    """Companies, members' places in them, stacks, history, follows, pairings."""
    slugs = _write_companies(context)
    _write_memberships(context)
    _write_stacks(context, slugs)
    _write_company_follows(context)
    analyze(StackItem, Stack, Company, CompanyFollow)
    recount(Tool, "stack_count", StackItem, "tool")
    recount(Stack, "item_count", StackItem, "stack")
    recount(Company, "follower_count", CompanyFollow, "company")
    _recount_company_tools()
    context.writer.counts["tool pairings"] = write_pairings()


def _write_companies(context: BenchContext) -> dict[int, str]:
    rng = context.rng("companies")
    total = context.size("companies", minimum=5)
    context.company_ids = list(range(1, total + 1))
    taken: set[str] = set()
    slugs: dict[int, str] = {}
    sizes, industries = CompanySize.values, Industry.values

    def rows() -> Iterator[tuple[Any, ...]]:
        for company_id in context.company_ids:
            name = _company_name(rng, taken)
            slug = slugify(name)
            slugs[company_id] = slug
            created = context.past(rng, days=6 * 365, recent_bias=0.8)
            yield (
                company_id,
                name,
                slug,
                f"https://{slug}.example.com/",
                "",
                f"{name} builds software for {rng.choice(['teams', 'shops', 'clinics', 'schools', 'fleets'])}."[
                    :140
                ],
                f"{name} is a fictional company of the benchmark data."
                if rng.random() < 0.5
                else "",
                rng.choice(CITIES),
                rng.choice(sizes) if rng.random() < 0.9 else "",
                rng.choice(industries) if rng.random() < 0.9 else "",
                rng.choice(context.member_ids),
                created,
                created,
            )

    context.writer.write(
        Company,
        (
            "id",
            "name",
            "slug",
            "website",
            "logo",
            "tagline",
            "description",
            "location",
            "size",
            "industry",
            "created_by_id",
            "created_at",
            "updated_at",
        ),
        rows(),
        total=total,
        label="companies",
    )
    return slugs


def _company_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = (
            f"{rng.choice(COMPANY_WORDS)}{rng.choice(NAME_ENDINGS)} "
            f"{rng.choice(COMPANY_SUFFIXES)}"
        ).strip()
        if slugify(name) in taken:
            name = f"{name} {rng.randint(2, 999)}"
        if slugify(name) not in taken:
            taken.add(slugify(name))
            return name


def _write_memberships(context: BenchContext) -> None:
    """An owner per company, often editors and members; a member's first is their employer."""
    rng = context.rng("memberships")
    rows: list[tuple[Any, ...]] = []
    for company_id in context.company_ids:
        people = 1 + min(int(rng.expovariate(1 / 3)), 40)
        for position, user_id in enumerate(rng.sample(context.member_ids, people)):
            role = (
                Role.OWNER
                if position == 0
                else Role.EDITOR
                if rng.random() < 0.25
                else Role.MEMBER
            )
            context.member_company.setdefault(user_id, company_id)
            rows.append(
                (
                    company_id,
                    user_id,
                    role,
                    rank_of(role),
                    context.past(rng, days=3 * 365),
                )
            )
    context.writer.write(
        CompanyMembership,
        ("company_id", "user_id", "role", "role_rank", "created_at"),
        iter(rows),
        total=len(rows),
        label="memberships",
    )


def _write_stacks(context: BenchContext, company_slugs: dict[int, str]) -> None:
    """Stacks of companies and members; entries and their history in one pass."""
    rng = context.rng("stacks")
    members_of: dict[int, list[int]] = {}
    for user_id, company_id in context.member_company.items():
        members_of.setdefault(company_id, []).append(user_id)
    # (id, name, slug, company, owner member, people who may add).
    plans: list[tuple[int, str, str, int | None, int | None, list[int]]] = []
    for company_id in context.company_ids:
        for name in STACK_NAMES[: 1 + min(int(rng.expovariate(1.6)), 3)]:
            plans.append(
                (
                    len(plans) + 1,
                    name,
                    f"{company_slugs[company_id]}-{slugify(name)}",
                    company_id,
                    None,
                    members_of.get(company_id) or [context.member_ids[0]],
                )
            )
    owners = rng.sample(
        context.member_ids,
        min(
            len(context.member_ids),
            int(len(context.company_ids) * MEMBER_STACKS_PER_COMPANY),
        ),
    )
    for user_id in owners:
        name = rng.choice(MEMBER_STACK_NAMES)
        plans.append(
            (
                len(plans) + 1,
                name,
                f"member-{user_id}-{slugify(name)}",
                None,
                user_id,
                [user_id],
            )
        )
    entries = context.size("stack_entries")
    mean = max(entries / len(plans), 1.0)
    sizes = [
        max(2, min(MAX_STACK_SIZE, round(rng.expovariate(1 / mean)) + 1)) for _ in plans
    ]
    # Expovariate and the clipping drift from the plan: scale to hit it.
    factor = entries / sum(sizes)
    sizes = [max(2, min(MAX_STACK_SIZE, round(n * factor))) for n in sizes]
    tool_names = dict(Tool.objects.values_list("pk", "name"))
    history: list[tuple[Any, ...]] = []
    now = context.now

    def stack_rows() -> Iterator[tuple[Any, ...]]:
        for stack_id, name, slug, company_id, owner_id, _ in plans:
            created = now - timedelta(days=HISTORY_DAYS + rng.random() * 365)
            yield (
                stack_id,
                name,
                slug,
                "",
                company_id,
                owner_id,
                created,
                context.past(rng, days=60),
            )

    def item_rows() -> Iterator[tuple[Any, ...]]:
        for (stack_id, _, _, company_id, _, people), size in zip(
            plans, sizes, strict=True
        ):
            picked = sorted(context.pick_tools(rng, size))
            removed = round(size * REMOVED_SHARE * rng.random() * 2)
            if company_id is not None:
                tools = context.company_tools.setdefault(company_id, [])
                tools.extend(picked)
            for tool_id in picked:
                added_at = context.past(rng, days=HISTORY_DAYS, recent_bias=0.8)
                actor = rng.choice(people)
                is_detected = rng.random() < 0.3
                source = Provenance.DETECTED if is_detected else Provenance.MANUAL
                history.append(
                    (
                        stack_id,
                        tool_id,
                        tool_names[tool_id],
                        HistoryAction.ADDED,
                        source,
                        actor,
                        added_at,
                    )
                )
                yield (
                    stack_id,
                    tool_id,
                    rng.choice(NOTES) if rng.random() < 0.1 else "",
                    source,
                    rng.choice(MANIFESTS) if is_detected else "",
                    "stackshare-scan 0.1" if is_detected else "",
                    added_at if is_detected else None,
                    actor,
                    added_at,
                )
            for tool_id in context.pick_tools(rng, removed) - set(picked):
                added_at = context.past(rng, days=HISTORY_DAYS, recent_bias=0.6)
                removed_at = added_at + (now - added_at) * rng.random()
                actor = rng.choice(people)
                for action, moment in (
                    (HistoryAction.ADDED, added_at),
                    (HistoryAction.REMOVED, removed_at),
                ):
                    history.append(
                        (
                            stack_id,
                            tool_id,
                            tool_names[tool_id],
                            action,
                            Provenance.MANUAL,
                            actor,
                            moment,
                        )
                    )

    context.writer.write(
        Stack,
        (
            "id",
            "name",
            "slug",
            "description",
            "company_id",
            "owner_user_id",
            "created_at",
            "updated_at",
        ),
        stack_rows(),
        total=len(plans),
        label="stacks",
    )
    context.writer.write(
        StackItem,
        (
            "stack_id",
            "tool_id",
            "note",
            "source",
            "detected_file",
            "detected_from",
            "detected_at",
            "added_by_id",
            "added_at",
        ),
        item_rows(),
        total=sum(min(n, len(context.tool_ids)) for n in sizes),
        label="stack entries",
    )
    history.sort(key=lambda row: row[-1])
    context.writer.write(
        StackHistory,
        (
            "stack_id",
            "tool_id",
            "tool_name",
            "action",
            "source",
            "actor_id",
            "created_at",
        ),
        iter(history),
        total=len(history),
        label="stack history",
    )
    # The monthly sums the services keep as they write the history.
    rebuild_adoption()
    rebuild_recent_adoption()
    for company_id, tools in context.company_tools.items():
        context.company_tools[company_id] = sorted(set(tools))


def _write_company_follows(context: BenchContext) -> None:
    """Members follow companies, the best known far more; the reader follows 50."""
    rng = context.rng("company follows")
    ids = context.company_ids
    weights = zipf_cum_weights(len(ids), exponent=0.9)
    total = context.size("company_follows")
    active = 0.4
    mean = max(total / max(len(context.member_ids) * active, 1), 1.0)
    top = ids[: READER_COMPANY_FOLLOWS // 2]
    rest = ids[READER_COMPANY_FOLLOWS // 2 :]
    reader = sorted(
        top + rng.sample(rest, min(len(rest), READER_COMPANY_FOLLOWS - len(top)))
    )
    counts = [
        0 if rng.random() >= active else 1 + int(rng.expovariate(1 / mean))
        for _ in context.member_ids
    ]
    planned: list[tuple[Any, ...]] = [
        (context.reader_id, company_id, context.past(rng, days=365))
        for company_id in reader
    ]
    for user_id, k in zip(context.member_ids, counts, strict=True):
        if k:
            for company_id in sorted(set(rng.choices(ids, cum_weights=weights, k=k))):
                planned.append((user_id, company_id, context.past(rng, days=3 * 365)))
    context.writer.write(
        CompanyFollow,
        ("user_id", "company_id", "created_at"),
        iter(planned),
        total=len(planned),
        label="company follows",
    )


def _recount_company_tools() -> None:
    """``Company.tool_count``: distinct tools across the company's stacks.

    One grouped pass over the entries: a correlated subquery per company
    (as ``recount`` does) joins the million entries to their stacks twenty
    thousand times.
    """
    quote = connection.ops.quote_name
    company, stack = quote(Company._meta.db_table), quote(Stack._meta.db_table)
    item = quote(StackItem._meta.db_table)
    Company.objects.update(tool_count=0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {company} SET tool_count = counted.n
            FROM (
                SELECT s.company_id AS company_id, COUNT(DISTINCT i.tool_id) AS n
                FROM {item} i JOIN {stack} s ON s.id = i.stack_id
                WHERE s.company_id IS NOT NULL
                GROUP BY s.company_id
            ) AS counted
            WHERE {company}.id = counted.company_id
            """  # noqa: S608 - table names from the models
        )


def write_pairings(
    *, min_stacks: int = PAIRING_MIN_STACKS, per_tool: int = PAIRINGS_PER_TOOL
) -> int:
    """``stacks.services.refresh_tool_pairings`` computed inside the database.

    The service fetches every pair into Python; at a million entries that is
    millions of rows. The same grouped self-join (``PAIRING_SQL``), kept to the ``per_tool``
    strongest pairs of each tool found in ``min_stacks`` stacks or more, is
    inserted in one statement instead. Returns the number of pairs stored.
    """
    quote = connection.ops.quote_name
    item = quote(StackItem._meta.db_table)
    sql = f"""
        INSERT INTO {quote(ToolPairing._meta.db_table)} (tool_id, other_id, stack_count)
        SELECT tool_id, other_id, n FROM (
            SELECT tool_id, other_id, n, ROW_NUMBER() OVER (
                PARTITION BY tool_id ORDER BY n DESC, other_id
            ) AS strength
            FROM (
                SELECT a.tool_id AS tool_id, b.tool_id AS other_id, COUNT(*) AS n
                FROM {item} a JOIN {item} b
                    ON a.stack_id = b.stack_id AND a.tool_id <> b.tool_id
                GROUP BY a.tool_id, b.tool_id
                HAVING COUNT(*) >= %s
            ) AS pairs
        ) AS ranked
        WHERE strength <= %s
    """  # noqa: S608 - table names from the models, values as parameters
    ToolPairing.objects.all().delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The grouped join is tens of millions of rows at scale 1.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, [min_stacks, per_tool])
        written: int = cursor.rowcount
        return written


GENERATOR = Generator(
    app_label="stacks",
    name="stacks",
    models=(
        "stacks.Company",
        "stacks.CompanyFollow",
        "stacks.CompanyMute",
        "stacks.CompanyMembership",
        "stacks.Stack",
        "stacks.StackItem",
        "stacks.StackHistory",
        "stacks.AdoptionMonth",
        "stacks.ToolPairing",
    ),
    run=generate_stacks,
)
