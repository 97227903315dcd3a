"""What the one search box finds, kind by kind.

Each kind reads through its own app's QuerySets; the tools use the
catalog's ranking (``tools.search.search_tools``). The grouped page shows
the first few of each kind, each kind's "see all" page all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import User
from decisions.models import Decision
from stacks.models import Company
from stackups.models import Stackup
from tools.models import Tool, ToolQuerySet
from tools.search import search_tools

# Text matches need a few letters: one or two are inside every name.
MIN_TEXT_LENGTH = 2


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    # The results for a query; ``tools`` are the tools found, which other
    # kinds reuse (stackups and decisions about them).
    find: Callable[[str, Sequence[Tool]], Sequence[Any] | QuerySet[Any]]
    # Whether ``find`` reads the tools found (its "see all" page ranks them).
    about_tools: bool = False


def companies(query: str, tools: Sequence[Tool]) -> QuerySet[Company]:
    """Companies named like the query, most followed first."""
    if len(query) < MIN_TEXT_LENGTH:
        return Company.objects.none()
    return Company.objects.filter(name__icontains=query).most_followed()


def stackups(query: str, tools: Sequence[Tool]) -> QuerySet[Stackup]:
    """Comparisons of the best tools found, most viewed first."""
    if not tools:
        return Stackup.objects.none()
    return Stackup.objects.including(list(tools[:3])).with_tools().most_viewed()


def decisions(query: str, tools: Sequence[Tool]) -> QuerySet[Decision]:
    """Visible posts titled with the query or tagging the best tool found."""
    if len(query) < MIN_TEXT_LENGTH and not tools:
        return Decision.objects.none()
    matches = Q(title__icontains=query) if len(query) >= MIN_TEXT_LENGTH else Q()
    if tools:
        matches |= Q(tool_tags__tool=tools[0])
    return (
        Decision.objects.visible()
        .filter(pk__in=Decision.objects.filter(matches).values("pk"))
        .with_cards()
        .newest()
    )


def members(query: str, tools: Sequence[Tool]) -> QuerySet[User]:
    """Active members whose user name or shown name holds the query."""
    if len(query) < MIN_TEXT_LENGTH:
        return User.objects.none()
    return User.objects.filter(
        Q(username__icontains=query) | Q(display_name__icontains=query),
        is_active=True,
        is_suspended=False,
    ).order_by("username")


def tools_found(query: str, base: ToolQuerySet | None = None) -> Sequence[Tool]:
    """The catalog's ranking, with what a tool row shows selected."""
    tools = (Tool.objects.approved() if base is None else base).with_category_path()
    return search_tools(query, tools=tools)


KINDS = {
    kind.slug: kind
    for kind in [
        Kind("tools", "Tools", lambda query, tools: tools_found(query)),
        Kind("companies", "Companies", companies),
        Kind("stackups", "Stackups", stackups, about_tools=True),
        Kind("decisions", "Decisions and advice", decisions, about_tools=True),
        Kind("members", "Members", members),
    ]
}
