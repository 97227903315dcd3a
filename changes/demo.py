"""Demo migrations (``seed_demo``): teams that swapped one tool for another.

Each demo company stack that runs a tool named below gets, now and then, the
tool it replaced: added early in the stack's life and removed around the
time the new one arrived, so the history tells the story and the moves are
derived from it like any other. A few moves go the other way, and the demo
posts that explain a swap are marked as that migration. Idempotent: a stack
whose history already names the old tool is left alone. Demo company
stacks also get radar rings: a few tools in trial or being assessed, a few
on hold (the ones being replaced above first), some promoted lately; the
older demo decisions get a revisit date and, mostly, an outcome.
"""

from __future__ import annotations

import random
from datetime import timedelta
from io import TextIOBase

from django.utils import timezone
from django.utils.text import slugify

from changes.models import DecisionMove, Move, Outcome, RadarEntry, RecordStatus
from changes.services import (
    declare_decision_moves,
    record_outcome,
    save_decision_record,
    set_ring,
)
from decisions.models import Decision, DecisionKind
from stacks import services as stacks
from stacks.demo import COMPANIES
from stacks.models import Ring, StackItem
from tools.models import Tool

# (old, new, how often a stack running ``new`` came from ``old``)
SWAPS: list[tuple[str, str, float]] = [
    ("jenkins", "github-actions", 0.30),
    ("travis-ci", "github-actions", 0.25),
    ("circleci", "github-actions", 0.15),
    ("flake8", "ruff", 0.45),
    ("black", "ruff", 0.25),
    ("webpack", "vite", 0.45),
    ("jest", "vitest", 0.4),
    ("mysql", "postgresql", 0.3),
    ("memcached", "redis", 0.2),
    ("rabbitmq", "kafka", 0.35),
    ("heroku", "fly-io", 0.4),
    ("heroku", "render", 0.4),
    ("new-relic", "datadog", 0.35),
    ("pip", "uv", 0.4),
    ("poetry", "uv", 0.3),
    ("yarn", "pnpm", 0.4),
    ("selenium", "playwright", 0.35),
    ("cypress", "playwright", 0.3),
    ("bootstrap", "tailwind-css", 0.35),
    ("nginx", "caddy", 0.15),
    ("flask", "fastapi", 0.3),
    ("jira", "linear", 0.3),
    # And back again, now and then.
    ("kafka", "rabbitmq", 0.15),
    ("playwright", "cypress", 0.1),
]

# Demo posts (by title) that explain a swap: old tools, new tools.
EXPLAINED = {
    "Ruff replaced Flake8, isort and Black in our Python repositories": (
        ["flake8", "black"],
        ["ruff"],
    ),
    "Vite replaced webpack in our front-end build": (["webpack"], ["vite"]),
    "GitHub Actions replaced Jenkins for all but two pipelines": (
        ["jenkins"],
        ["github-actions"],
    ),
    "uv replaced pip, pip-tools and virtualenv": (["pip"], ["uv"]),
    "Vitest replaced Jest in our TypeScript packages": (["jest"], ["vitest"]),
    "We moved from Docker Compose on VMs to Kubernetes, and what it cost us": (
        ["docker-compose"],
        ["kubernetes"],
    ),
}


def seed_changes_demo(*, stdout: TextIOBase, dry_run: bool) -> None:
    """Give demo stacks the tools they migrated from, and mark the posts."""
    now = timezone.now()
    slugs = {slug for swap in SWAPS for slug in swap[:2]}
    tools = Tool.objects.approved().filter(slug__in=slugs).in_bulk(field_name="slug")
    demo_companies = [slugify(row[0]) for row in COMPANIES]
    items = (
        StackItem.objects.filter(
            stack__company__slug__in=demo_companies, tool__slug__in=slugs
        )
        .select_related("stack", "tool")
        .order_by("stack_id", "tool__slug")
    )
    before = Move.objects.count()
    for item in items:
        for old_slug, new_slug, chance in SWAPS:
            old = tools.get(old_slug)
            if item.tool.slug != new_slug or old is None:
                continue
            stack = item.stack
            # One draw per stack and swap, so a second run picks the same.
            local = random.Random(f"{stack.slug}/{old_slug}/{new_slug}")
            if local.random() >= chance:
                continue
            if stack.history.filter(tool=old).exists() or stack.items.filter(tool=old):
                continue
            # The old tool arrived early; it left around when the new one
            # came, a little before (a clean cut) or after (a long overlap).
            arrived = stack.created_at + timedelta(days=local.randint(1, 20))
            left = item.added_at + timedelta(days=local.randint(-40, 150))
            left = min(
                max(left, arrived + timedelta(days=30)), now - timedelta(hours=1)
            )
            stacks.add_tool_to_stack(stack=stack, tool=old, added_by=None, when=arrived)
            stacks.remove_tool_from_stack(
                stack=stack, tool=old, removed_by=None, when=left
            )
    marked = 0
    for decision in Decision.objects.filter(title__in=EXPLAINED).prefetch_related(
        "tools"
    ):
        if DecisionMove.objects.filter(decision=decision).exists():
            continue
        old_slugs, new_slugs = EXPLAINED[decision.title]
        catalog = Tool.objects.filter(slug__in=[*old_slugs, *new_slugs])
        by_slug = {tool.slug: tool for tool in catalog}
        declare_decision_moves(
            decision=decision,
            from_tools=[by_slug[s] for s in old_slugs if s in by_slug],
            to_tools=[by_slug[s] for s in new_slugs if s in by_slug],
            declared_by=decision.author,
        )
        marked += 1
    rings = _seed_rings(demo_companies)
    outcomes = _seed_records()
    verb = "Would derive" if dry_run else "Derived"
    stdout.write(
        f"{verb} {Move.objects.count() - before} demo migrations; "
        f"{marked} posts marked as migrations; {rings} radar rings set; "
        f"{outcomes} decision records.\n"
    )


OUTCOME_TEXTS = {
    Outcome.WORKED: [
        "A year on, nobody wants to go back; the team that was sceptical now maintains it.",
        "It did what we hoped: fewer pages at night, faster reviews.",
        "Worth it. The migration took longer than planned, the result did not disappoint.",
    ],
    Outcome.MIXED: [
        "Good for the main product, awkward for the two services that did not fit it.",
        "The gains are real, and so is the upkeep we underestimated.",
    ],
    Outcome.REVERTED: [
        "We went back after six months: the operational cost was more than a team our size can carry.",
    ],
}


def _seed_records() -> int:
    """Records for the older demo decisions: a revisit date, and for most of
    those past it, an outcome (idempotent: posts with a record are skipped)."""
    now = timezone.now()
    today = timezone.localdate()
    decisions = (
        Decision.objects.visible()
        .filter(kind=DecisionKind.DECIDED, record__isnull=True)
        .order_by("created_at", "pk")
    )
    count = 0
    for decision in decisions:
        rng = random.Random(f"record/{decision.title}")
        age = (now - decision.created_at).days
        revisit = decision.created_at.date() + timedelta(
            days=rng.choice([90, 180, 365])
        )
        save_decision_record(
            decision=decision,
            status=RecordStatus.ACCEPTED,
            revisit_on=revisit,
        )
        count += 1
        # Most teams answer once the date has come; a few are still due.
        if revisit <= today and age > 60 and rng.random() < 0.8:
            outcome = rng.choices(
                [Outcome.WORKED, Outcome.MIXED, Outcome.REVERTED], weights=[6, 3, 1]
            )[0]
            if decision.title in EXPLAINED:
                outcome = Outcome.WORKED
            record_outcome(
                decision=decision,
                outcome=outcome,
                text=rng.choice(OUTCOME_TEXTS[outcome]),
                recorded_by=decision.author,
            )
    return count


REASONS = {
    Ring.TRIAL: [
        "Two teams run it in production; the rest wait for their verdict.",
        "Promising on the new service; we want a quarter of data first.",
        "Replacing a home-grown script; so far so good.",
    ],
    Ring.ASSESS: [
        "A spike is under way; nothing in production yet.",
        "Looked at during the last architecture review.",
    ],
    Ring.HOLD: [
        "Still running, but new work goes elsewhere.",
        "Too much upkeep for what it gives us.",
        "Being replaced; do not add new uses.",
    ],
    Ring.ADOPT: ["Proven after the trial; now the default."],
}


def _seed_rings(company_slugs: list[str]) -> int:
    """Rings for demo company stack entries, set over the last year."""
    now = timezone.now()
    items = (
        StackItem.objects.filter(stack__company__slug__in=company_slugs)
        .exclude(pk__in=RadarEntry.objects.values("item"))
        .select_related("stack__company", "tool")
        .order_by("pk")
    )
    replaced = {new for _old, new, _chance in SWAPS}
    count = 0
    for item in items:
        rng = random.Random(f"{item.stack.slug}/{item.tool.slug}")
        roll = rng.random()
        if roll < 0.06:
            ring = Ring.HOLD
        elif roll < 0.14:
            ring = Ring.TRIAL
        elif roll < 0.18:
            ring = Ring.ASSESS
        else:
            continue
        if item.tool.slug in replaced and ring == Ring.HOLD:
            ring = Ring.TRIAL
        earliest = max(item.added_at, now - timedelta(days=360))
        span = max((now - earliest).days, 1)
        when = earliest + timedelta(days=rng.randint(0, span))
        actor = item.stack.company.created_by  # type: ignore[union-attr]  # the demo's radar stacks are company stacks
        set_ring(
            item=item,
            ring=ring,
            reason=rng.choice(REASONS[ring]),
            actor=actor,
            when=when,
        )
        count += 1
        # Some trials ended well, lately.
        if ring == Ring.TRIAL and rng.random() < 0.3 and (now - when).days > 30:
            set_ring(
                item=item,
                ring=Ring.ADOPT,
                reason=REASONS[Ring.ADOPT][0],
                actor=actor,
                when=now - timedelta(days=rng.randint(1, 80)),
            )
    return count
