"""Demo decisions and advice threads, from decisions/data/demo_decisions.toml.

Called by ``manage.py seed_demo`` after the demo members exist and the
catalog is loaded. Idempotent: a post is identified by its author and title,
and one that exists is left alone. Upvotes come from a stable selection of
demo members, so a second run (or another machine) gets the same figures.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import timedelta
from io import TextIOBase
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_members, ensure_member
from accounts.models import User
from decisions.models import Comment, Decision, DecisionTool, DecisionVote, ToolRole
from stackshare.markdown import render_markdown
from tools.models import Tool

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo_decisions.toml"


def read_demo_data(path: Path = DATA_FILE) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _stable_fraction(*parts: str) -> float:
    digest = hashlib.blake2s("|".join(parts).encode(), digest_size=4).digest()
    return int.from_bytes(digest) / 2**32


def _ensure_members(members: list[dict[str, str]]) -> int:
    return sum(
        ensure_member(
            row["username"],
            DEMO_PASSWORD,
            display_name=row["name"],
            job_title=row.get("title", ""),
            company_name=row.get("company", ""),
            location=row.get("location", ""),
            bio=row.get("bio", ""),
        )
        for row in members
    )


def seed_decisions_demo(*, stdout: TextIOBase, dry_run: bool) -> None:
    """Create the demo posts, their tags, comments, replies and upvotes."""
    data = read_demo_data()
    with transaction.atomic():
        members_created = _ensure_members(data.get("member", []))
        report = _seed_posts(data["decision"])
        if dry_run:
            transaction.set_rollback(True)
    verb = "Would create" if dry_run else "Created"
    stdout.write(
        f"{verb} {report['posts']} demo decisions and advice threads "
        f"({report['comments']} comments, {report['votes']} upvotes, "
        f"{members_created} more members); {report['existing']} already there."
    )
    if report["skipped"]:
        stdout.write(
            f"Skipped {report['skipped']} posts whose tools are not in the catalog "
            "(run load_catalog first)."
        )


def _seed_posts(rows: list[dict[str, Any]]) -> dict[str, int]:
    report = {"posts": 0, "comments": 0, "votes": 0, "existing": 0, "skipped": 0}
    # Only demo members write, comment and vote on demo posts: a member who
    # signed up for real under a demo user name is never put to work.
    voters = list(demo_members().filter(is_active=True))
    users = {user.username: user for user in voters}
    slugs = {
        s for row in rows for s in [*row.get("chosen", []), *row.get("considered", [])]
    }
    tools = {tool.slug: tool for tool in Tool.objects.approved().filter(slug__in=slugs)}
    existing = set(
        Decision.objects.filter(author__username__in=users).values_list(
            "author__username", "title"
        )
    )
    now = timezone.now()

    for row in rows:
        if (row["author"], row["title"]) in existing:
            report["existing"] += 1
            continue
        wanted = [*row.get("chosen", []), *row.get("considered", [])]
        if any(slug not in tools for slug in wanted) or row["author"] not in users:
            report["skipped"] += 1
            continue
        created_at = now - timedelta(
            days=row["days"], hours=_stable_fraction(row["title"]) * 20
        )
        body = row["body"].strip()
        decision = Decision.objects.create(
            kind=row["kind"],
            title=row["title"],
            body=body,
            body_html=render_markdown(body),
            author=users[row["author"]],
            created_at=created_at,
            view_count=row.get("views", 0),
        )
        DecisionTool.objects.bulk_create(
            [
                DecisionTool(decision=decision, tool=tools[slug], role=role, position=i)
                for role, key in (
                    (ToolRole.CHOSEN, "chosen"),
                    (ToolRole.CONSIDERED, "considered"),
                )
                for i, slug in enumerate(row.get(key, []))
            ]
        )
        comments = _seed_comments(decision, row.get("comment", []), users)
        # Popular posts (by views) draw more upvotes, from a stable set of members.
        share = min(0.9, 0.1 + row.get("views", 0) / 5000)
        votes = [
            DecisionVote(
                user=voter,
                decision=decision,
                created_at=created_at + timedelta(hours=6),
            )
            for voter in voters
            if voter.username != row["author"]
            and _stable_fraction(row["title"], voter.username) < share
        ]
        DecisionVote.objects.bulk_create(votes)
        Decision.objects.filter(pk=decision.pk).update(
            comment_count=comments, upvote_count=len(votes)
        )
        report["posts"] += 1
        report["comments"] += comments
        report["votes"] += len(votes)
    return report


def _seed_comments(
    decision: Decision, rows: list[dict[str, Any]], users: dict[str, User]
) -> int:
    count = 0
    for row in rows:
        if row["author"] not in users:
            continue
        at = decision.created_at + timedelta(hours=row.get("hours", 1))
        parent = _comment(decision, row, users, at, parent=None)
        count += 1
        for reply in row.get("reply", []):
            if reply["author"] not in users:
                continue
            at += timedelta(hours=reply.get("hours", 1))
            _comment(decision, reply, users, at, parent=parent)
            count += 1
    return count


def _comment(
    decision: Decision,
    row: dict[str, Any],
    users: dict[str, User],
    at: Any,
    *,
    parent: Comment | None,
) -> Comment:
    body = row["body"].strip()
    return Comment.objects.create(
        decision=decision,
        parent=parent,
        author=users[row["author"]],
        body=body,
        body_html=render_markdown(body),
        created_at=min(at, timezone.now()),
    )
