"""Demo activity around the catalog: follows, votes, pros and cons.

Called by ``seed_demo`` once the demo members exist, with the demo members
it created in this run (see accounts.demo). Every choice comes from a random
generator seeded by names, so a second run makes the same choices, finds
them made, and changes nothing.
"""

from __future__ import annotations

import random
import tomllib
from datetime import datetime, timedelta
from io import TextIOBase
from pathlib import Path
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from accounts.demo import demo_members
from accounts.models import User
from tools import services
from tools.models import (
    ProCon,
    ProConKind,
    Tool,
    ToolFollow,
    ToolVote,
    normalize_statement,
)

PROCONS_FILE = Path(__file__).parent / "data" / "demo" / "procons.toml"
POPULAR_TOOLS = 80  # the tools members follow and vote for
HISTORY_DAYS = 365


def seed_tools_demo(
    *, members: list[User], stdout: TextIOBase, dry_run: bool = False
) -> None:
    """Make the catalog look lived in: ``members`` follow and vote, and the
    demo's pros and cons that are missing are added, voted on by the demo
    members. The caller rolls back a dry run."""
    # Every tool the demo's stacks use comes first (PostgreSQL and MySQL
    # have no GitHub stars to rank by, yet every reader expects them
    # followed), then the best-known others, up to POPULAR_TOOLS in all.
    approved = Tool.objects.approved()
    used = list(
        approved.filter(stack_count__gt=0).order_by(
            "-stack_count", F("github_stars").desc(nulls_last=True), "slug"
        )
    )
    known = (
        approved.filter(
            Q(slug__in=[entry["slug"] for entry in _procon_data()])
            | Q(github_stars__isnull=False)
        )
        .exclude(stack_count__gt=0)
        .order_by(F("github_stars").desc(nulls_last=True), "slug")
    )
    tools = used + list(known[: max(POPULAR_TOOLS - len(used), 0)])
    follows, votes = _follow_and_vote(members, tools)
    points = _add_procons(list(demo_members()))
    verb = "Would add" if dry_run else "Added"
    stdout.write(
        f"{verb} {follows} follows, {votes} votes and {points} pros and cons "
        "to the catalog demo."
    )


def _procon_data() -> list[dict[str, Any]]:
    with PROCONS_FILE.open("rb") as file:
        tools: list[dict[str, Any]] = tomllib.load(file)["tool"]
    return tools


def _when(rng: random.Random) -> datetime:
    """A moment in the past year, later moments a little more likely."""
    days_ago = HISTORY_DAYS * (1 - rng.random() ** 0.7)
    return timezone.now() - timedelta(days=days_ago)


def _follow_and_vote(members: list[User], tools: list[Tool]) -> tuple[int, int]:
    """Members follow and upvote popular tools, more of the top ones."""
    follows = votes = 0
    for rank, tool in enumerate(tools):
        appeal = 0.75 - 0.6 * rank / max(len(tools), 1)
        if tool.stack_count:
            # A tool the demo's teams run is followed by some of them, even
            # far down a catalog of two thousand tools.
            appeal = max(appeal, 0.5)
        for member in members:
            # Draw every number up front, so a rerun makes the same choices.
            rng = random.Random(f"{tool.slug}/{member.username}")
            follows_it, followed_at, votes_too = rng.random(), _when(rng), rng.random()
            if follows_it >= appeal:
                continue
            if not ToolFollow.objects.filter(user=member, tool=tool).exists():
                services.follow_tool(user=member, tool=tool)
                ToolFollow.objects.filter(user=member, tool=tool).update(
                    created_at=followed_at
                )
                follows += 1
            if (
                votes_too < 0.5
                and not ToolVote.objects.filter(user=member, tool=tool).exists()
            ):
                services.vote_for_tool(user=member, tool=tool)
                votes += 1
    return follows, votes


def _add_procons(members: list[User]) -> int:
    """The demo pros and cons, each voted on by a share of the members."""
    added = 0
    by_slug = Tool.objects.approved().in_bulk(
        [entry["slug"] for entry in _procon_data()], field_name="slug"
    )
    if not members:
        return 0
    for entry in _procon_data():
        tool = by_slug.get(entry["slug"])
        if tool is None:
            continue
        statements = [(ProConKind.PRO, text) for text in entry.get("pros", [])]
        statements += [(ProConKind.CON, text) for text in entry.get("cons", [])]
        for position, (kind, text) in enumerate(statements):
            rng = random.Random(f"{tool.slug}/{text}")
            if ProCon.objects.filter(
                tool=tool, normalized=normalize_statement(text)
            ).exists():
                continue
            procon = services.add_procon(
                tool=tool, kind=kind, text=text, author=rng.choice(members)
            )
            ProCon.objects.filter(pk=procon.pk).update(created_at=_when(rng))
            # Earlier statements in the file are the better known ones.
            share = max(0.15, 0.8 - 0.12 * position)
            for member in members:
                # The draw comes first so the demo data stay what they were.
                if rng.random() < share and member.pk != procon.author_id:
                    services.vote_for_procon(user=member, procon=procon)
            added += 1
    return added
