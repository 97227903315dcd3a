"""Factories for decisions; they write through the services, as the site does."""

from __future__ import annotations

import itertools
from typing import Any

from accounts.models import User
from accounts.tests.factories import make_member
from decisions import services
from decisions.models import Comment, Decision, DecisionKind
from tools.models import Tool
from tools.tests.factories import make_tool

_sequence = itertools.count(1)


def make_decision(
    *,
    author: User | None = None,
    kind: str = DecisionKind.DECIDED,
    title: str | None = None,
    body: str = "We compared them for a month and this is what we learned.",
    chosen: list[Tool] | None = None,
    considered: list[Tool] | None = None,
    **fields: Any,
) -> Decision:
    """A published post; a decision chooses a fresh tool unless told otherwise."""
    n = next(_sequence)
    if chosen is None and considered is None:
        tool = make_tool()
        chosen, considered = (
            ([tool], []) if kind == DecisionKind.DECIDED else ([], [tool])
        )
    decision = services.create_decision(
        author=author or make_member(),
        kind=DecisionKind(kind),
        title=title or f"Decision number {n}",
        body=body,
        chosen=chosen or [],
        considered=considered or [],
    )
    if fields:
        Decision.objects.filter(pk=decision.pk).update(**fields)
        decision.refresh_from_db()
    return decision


def make_comment(
    *,
    decision: Decision,
    author: User | None = None,
    body: str | None = None,
    parent: Comment | None = None,
) -> Comment:
    return services.add_comment(
        decision=decision,
        author=author or make_member(),
        body=body or f"Comment {next(_sequence)}: we saw the same thing.",
        parent=parent,
    )
