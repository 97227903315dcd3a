"""What the one search box finds, kind by kind.

Each kind reads through its own app's QuerySets; the tools use the
catalog's ranking (``tools.search.search_tools``). The grouped page shows
the first few of each kind, each kind's "see all" page all of them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Q, QuerySet

from accounts.models import User
from decisions.models import Decision, DecisionQuerySet
from stacks.models import Company
from stackups.models import Stackup
from tools.keys import letters_and_digits
from tools.models import Tool, ToolQuerySet
from tools.search import MAX_RESULTS, Ranked, search_tools


def named_like(query: str, *fields: str) -> Q:
    """Rows with any of these fields named like the query: holding it, once
    it has three letters or digits; starting with it, with two.

    Two letters are inside too many names to mean anything, and with fewer
    than three PostgreSQL's trigram indexes cannot narrow a match inside
    a name: members named like "s3" took 160 ms to read at 100,000 members,
    those starting with it 0.2 ms. One letter matches nothing.
    """
    letters = letters_and_digits(query)
    if letters < 2:
        return Q(pk__in=[])
    lookup = "icontains" if letters >= 3 else "istartswith"
    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__{lookup}": query})
    return matches


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
    return Company.objects.filter(named_like(query, "name")).most_followed()


def stackups(query: str, tools: Sequence[Tool]) -> QuerySet[Stackup]:
    """Comparisons of the best tools found, most viewed first."""
    if not tools:
        return Stackup.objects.none()
    return Stackup.objects.including(list(tools[:3])).with_tools().most_viewed()


def decisions(query: str, tools: Sequence[Tool]) -> Sequence[Decision]:
    """Visible posts titled with the query or tagging the best tool found,
    newest first."""
    visible = Decision.objects.visible()
    sources = []
    if letters_and_digits(query) >= 3:
        # Titles are sentences: two letters at the start of one say nothing
        # of its subject (see named_like).
        sources.append(visible.filter(title__icontains=query))
    if tools:
        sources.append(visible.tagging(tools[0]))
    return NewestOf(sources)


class NewestOf(Sequence[Decision]):
    """The posts of several querysets, newest first, each once; at most
    ``MAX_RESULTS``.

    Performance: a page reads the newest of each queryset as far as the
    page goes, merges them, then reads the page's cards. As one query with
    an OR, PostgreSQL walked the posts from the newest until it had a page,
    so a rare word read every post (350 ms for "mongo" at 100,000 posts);
    apart, each is an index's work (2 ms), and the grouped page reads four.
    """

    def __init__(self, sources: list[DecisionQuerySet]) -> None:
        self.sources = sources
        self.every_id: list[int] | None = None  # once counted

    def newest_ids(self, stop: int) -> list[int]:
        if self.every_id is not None:
            return self.every_id[:stop]
        # The newest ``stop`` of the union are among the newest ``stop`` of
        # each queryset, whichever they come from.
        merged = heapq.merge(
            *(s.newest().values_list("created_at", "pk")[:stop] for s in self.sources),
            reverse=True,
        )
        return list(dict.fromkeys(pk for _, pk in merged))[:stop]

    def __len__(self) -> int:
        if self.every_id is None:
            self.every_id = self.newest_ids(MAX_RESULTS)
        return len(self.every_id)

    def count(self) -> int:  # type: ignore[override]  # Paginator calls count() with no arguments
        return len(self)

    @overload
    def __getitem__(self, index: int) -> Decision: ...
    @overload
    def __getitem__(self, index: slice) -> list[Decision]: ...
    def __getitem__(self, index: int | slice) -> Decision | list[Decision]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        stop = MAX_RESULTS if index.stop is None else min(index.stop, MAX_RESULTS)
        ids = self.newest_ids(stop)[index.start : index.stop]
        return Ranked(ids, Decision.objects.with_cards())[:]


def members(query: str, tools: Sequence[Tool]) -> QuerySet[User]:
    """Active members whose user name or shown name is like the query."""
    return User.objects.filter(
        named_like(query, "username", "display_name"),
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
