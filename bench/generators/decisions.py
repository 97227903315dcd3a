"""Decisions: ``SIZES["decisions"]`` posts, ``SIZES["comments"]`` comments, votes.

Most posts come from members of a company and tag one to four tools of
that company's stacks (the rest tag popular tools); a few posts draw most
of the comments and votes. A quarter of the comments reply to an earlier
comment of the same post. ``comment_count`` (visible comments only) and
``upvote_count`` are recounted from the rows at the end.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import escape

from bench.generators import BenchContext, Generator, zipf_cum_weights
from bench.generators.tools import CONS, PROS
from decisions.models import (
    Comment,
    Decision,
    DecisionKind,
    DecisionTool,
    DecisionVote,
    ToolRole,
)
from stackshare.planner import analyze
from tools.models import Tool

PURPOSES = [
    "our API",
    "the data pipeline",
    "the new mobile app",
    "background jobs",
    "search",
    "the billing service",
    "internal dashboards",
    "observability",
]
REPLIES = [
    "We went the same way and have not looked back.",
    "How did the migration go? Anything you would do differently?",
    "Interesting. We tried it last year and ran into {con}.",
    "Thanks for writing this up, it matches what we saw.",
    "Did you benchmark it against the alternatives first?",
    "For us the deciding factor was {pro}.",
]
REPLY_SHARE = 0.25
# The busiest threads hold a few hundred comments (the page shows them all).
MAX_COMMENTS = 300
COMMENT_SKEW = 0.6
VOTE_SKEW = 0.9


def generate_decisions(context: BenchContext) -> None:
    """Posts with their tool tags, then comments and upvotes, then the counters."""
    rng = context.rng("decisions")
    total = context.size("decisions")
    names = dict(Tool.objects.filter(pk__in=context.tool_ids).values_list("pk", "name"))
    authors = list(context.member_company) or context.member_ids
    planned: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    # Post ids from most to least read: views, comments and votes follow.
    order = list(range(1, total + 1))
    rng.shuffle(order)
    rank = {decision_id: position for position, decision_id in enumerate(order)}
    for decision_id in range(1, total + 1):
        author = (
            rng.choice(authors)
            if rng.random() < 0.8
            else rng.choice(context.member_ids)
        )
        company = context.member_company.get(author)
        pool = context.company_tools.get(company or 0, [])
        k = rng.randint(1, 4)
        picked = (
            rng.sample(pool, k) if len(pool) >= k else list(context.pick_tools(rng, k))
        )
        kind = DecisionKind.ADVICE if rng.random() < 0.2 else DecisionKind.DECIDED
        planned.append(
            _decision_row(
                context,
                rng,
                decision_id,
                author,
                company,
                kind,
                picked,
                names,
                views=int(
                    50_000 * (0.5 + rng.random()) / (rank[decision_id] + 1) ** 0.8
                ),
            )
        )
        for position, tool_id in enumerate(picked):
            role = (
                ToolRole.CHOSEN
                if kind == DecisionKind.DECIDED and position == 0
                else ToolRole.CONSIDERED
            )
            tags.append((decision_id, tool_id, role, position))
    context.writer.write(
        Decision,
        DECISION_FIELDS,
        iter(planned),
        total=len(planned),
        label="decisions",
    )
    context.writer.write(
        DecisionTool,
        ("decision_id", "tool_id", "role", "position"),
        iter(tags),
        total=len(tags),
        label="decision tools",
    )
    created = {row[0]: row[DECISION_FIELDS.index("created_at")] for row in planned}
    _write_comments(context, created, order)
    _write_votes(context, created, order)
    analyze(Decision, Comment, DecisionVote)
    _recount()


DECISION_FIELDS = (
    "id",
    "kind",
    "title",
    "body",
    "body_html",
    "author_id",
    "company_id",
    "created_at",
    "updated_at",
    "view_count",
    "is_hidden",
)


def _decision_row(
    context: BenchContext,
    rng: random.Random,
    decision_id: int,
    author: int,
    company: int | None,
    kind: str,
    picked: list[int],
    names: dict[int, str],
    *,
    views: int,
) -> tuple[Any, ...]:
    first, others = names[picked[0]], [names[pk] for pk in picked[1:]]
    purpose = rng.choice(PURPOSES)
    if kind == DecisionKind.ADVICE:
        title = f"{' or '.join([first, *others])} for {purpose}?"
    elif others:
        title = f"Why we chose {first} over {', '.join(others)} for {purpose}"
    else:
        title = f"Why we moved {purpose} to {first}"
    paragraphs = [
        f"We needed something for {purpose} and looked at "
        f"{', '.join([first, *others])}.",
        f"What tipped it: {rng.choice(PROS).lower()}. What we put up with: "
        f"{rng.choice(CONS).lower()}.",
    ]
    created = context.past(rng, days=3 * 365, recent_bias=1.4)
    return (
        decision_id,
        kind,
        title[:140],
        "\n\n".join(paragraphs),
        "".join(f"<p>{escape(text)}</p>" for text in paragraphs),
        author,
        company,
        created,
        created,
        views,
        rng.random() < 0.01,
    )


def _write_comments(
    context: BenchContext,
    created: dict[int, Any],
    order: list[int],
) -> None:
    rng = context.rng("comments")
    weights = zipf_cum_weights(len(order), exponent=COMMENT_SKEW)
    per_post = Counter(
        rng.choices(order, cum_weights=weights, k=context.size("comments"))
    )
    total = sum(min(n, MAX_COMMENTS) for n in per_post.values())

    def rows() -> Iterator[tuple[Any, ...]]:
        comment_id = 0
        for decision_id in sorted(per_post):
            posted = created[decision_id]
            span = (context.now - posted).total_seconds()
            moments = sorted(
                posted + timedelta(seconds=span * rng.random() ** 2)
                for _ in range(min(per_post[decision_id], MAX_COMMENTS))
            )
            top_level: list[int] = []
            for moment in moments:
                comment_id += 1
                parent = (
                    rng.choice(top_level)
                    if top_level and rng.random() < REPLY_SHARE
                    else None
                )
                if parent is None:
                    top_level.append(comment_id)
                text = rng.choice(REPLIES).format(
                    pro=rng.choice(PROS).lower(), con=rng.choice(CONS).lower()
                )
                roll = rng.random()
                yield (
                    comment_id,
                    decision_id,
                    parent,
                    rng.choice(context.member_ids),
                    text,
                    f"<p>{escape(text)}</p>",
                    moment,
                    roll < 0.01,
                    moment + timedelta(hours=1) if 0.01 <= roll < 0.02 else None,
                )

    context.writer.write(
        Comment,
        (
            "id",
            "decision_id",
            "parent_id",
            "author_id",
            "body",
            "body_html",
            "created_at",
            "is_hidden",
            "deleted_at",
        ),
        rows(),
        total=total,
        label="comments",
    )


def _write_votes(
    context: BenchContext,
    created: dict[int, Any],
    order: list[int],
) -> None:
    rng = context.rng("decision votes")
    weights = zipf_cum_weights(len(order), exponent=VOTE_SKEW)
    per_post = Counter(
        rng.choices(order, cum_weights=weights, k=context.size("decision_votes"))
    )
    members = context.member_ids
    total = sum(min(n, len(members)) for n in per_post.values())

    def rows() -> Iterator[tuple[Any, ...]]:
        for decision_id in sorted(per_post):
            posted = created[decision_id]
            span = (context.now - posted).total_seconds()
            for user_id in sorted(
                rng.sample(members, min(per_post[decision_id], len(members)))
            ):
                yield (
                    user_id,
                    decision_id,
                    posted + timedelta(seconds=span * rng.random() ** 3),
                )

    context.writer.write(
        DecisionVote,
        ("user_id", "decision_id", "created_at"),
        rows(),
        total=total,
        label="decision votes",
    )


def _recount() -> None:
    """``upvote_count`` from the votes, ``comment_count`` from visible comments."""
    upvotes = (
        DecisionVote.objects.filter(decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    comments = (
        Comment.objects.visible()
        .filter(decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Decision.objects.update(
        upvote_count=Coalesce(Subquery(upvotes), 0),
        comment_count=Coalesce(Subquery(comments), 0),
    )


GENERATOR = Generator(
    app_label="decisions",
    name="decisions",
    models=(
        "decisions.Decision",
        "decisions.DecisionTool",
        "decisions.Comment",
        "decisions.DecisionVote",
        "decisions.Report",
    ),
    run=generate_decisions,
)
