"""Tool search: the one ranking for the search page, autocomplete and the API.

Every tool has a few *search keys* (``SearchKey``): its name and slug, its
synonyms and package names, and the words of a multi-word name, each
reduced by ``tools.keys.search_key``. A query is reduced the same way and
tools are ranked in tiers:

0. the query is the tool's name, slug or a synonym ("k8s", "nextjs");
1. the query is one of its package names ("djangorestframework",
   "pypi:django", "gin-gonic/gin");
2. a name or synonym starts with the query ("postg");
3. a word of the name or a package name is or starts with the query
   ("bigquery", "s3");
4. a name or synonym is one typo away ("reakt", "postgres sql");
5. every word of the query is in the name or tagline, then in the
   description; a tool one of the words names first ("graphql api");
6. a name, synonym or word is a few typos away ("kuberentes").

Within a tier the closest match comes first, then the most used tool
(stacks, followers, GitHub stars). The tiers and the order are computed
in Python from plain comparisons (equality, prefix, substring), so SQLite
(``make run``) and PostgreSQL find and rank the same tools; PostgreSQL
only answers faster, with indexes for prefixes and trigram indexes for
substrings (migrations 0002 and 0006).

``search_tools`` is the public entry point; ``index_tools`` keeps the keys
current and is called by the services and the catalog loader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, overload

from django.db import transaction
from django.db.models import (
    Case,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Left, Length

from tools.keys import (
    alias_keys,
    edit_distance,
    fold,
    key_variants,
    letters_and_digits,
    search_key,
    typo_allowance,
    without_registry,
    word_keys,
)
from tools.models import (
    MAX_QUERY_LENGTH,
    Alias,
    Category,
    SearchKey,
    SearchKeyKind,
    Synonym,
    Tool,
)

# The most results a query ranks; the rest of a long tail is not worth it.
MAX_RESULTS = 500
# Below this many good matches (tiers 0 to 3), typos are looked for too.
FUZZY_BELOW = 10
NAMES = (SearchKeyKind.NAME, SearchKeyKind.SYNONYM)
POPULARITY = ("stack_count", "follower_count", "github_stars", "name", "is_deprecated")


def clean_query(query: str) -> str:
    """The query as searched: spaces collapsed, at most MAX_QUERY_LENGTH long."""
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


# --- Keeping the keys -------------------------------------------------------


def keys_for(
    *,
    name: str,
    slug: str,
    aliases: Iterable[tuple[str, str]] = (),
    synonyms: Iterable[str] = (),
) -> set[tuple[str, int]]:
    """Every (key, kind) a tool is found by; ``aliases`` are (ecosystem,
    package name) pairs."""
    keys: set[tuple[str, int]] = set()
    for text, kind in [
        (name, SearchKeyKind.NAME),
        (slug, SearchKeyKind.NAME),
        *((term, SearchKeyKind.SYNONYM) for term in synonyms),
    ]:
        if key := search_key(text):
            keys.add((key, kind))
    for ecosystem, package in aliases:
        keys.update(
            (key, SearchKeyKind.ALIAS) for key in alias_keys(ecosystem, package)
        )
    names = {key for key, kind in keys if kind == SearchKeyKind.NAME}
    for word in word_keys(name):
        if word not in names:
            keys.add((word, SearchKeyKind.WORD))
    return keys


@transaction.atomic
def index_tools(*, tool_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search keys of these tools (of every tool when None).

    Returns how many keys were written.
    """
    tools = Tool.objects.all()
    if tool_ids is not None:
        ids = list(set(tool_ids))
        if not ids:
            return 0
        tools = tools.filter(pk__in=ids)
    rows = list(tools.values_list("pk", "name", "slug"))
    found = [pk for pk, _, _ in rows]
    aliases: dict[int, list[tuple[str, str]]] = {}
    synonyms: dict[int, list[str]] = {}
    for chunk in batched(found, 500, strict=False):
        for tool_id, ecosystem, package in Alias.objects.filter(
            tool__in=chunk
        ).values_list("tool", "ecosystem", "name"):
            aliases.setdefault(tool_id, []).append((ecosystem, package))
        for tool_id, term in Synonym.objects.filter(tool__in=chunk).values_list(
            "tool", "term"
        ):
            synonyms.setdefault(tool_id, []).append(term)
    stale = SearchKey.objects.all()
    if tool_ids is None:
        stale.delete()
    else:
        for chunk in batched(set(tool_ids), 500, strict=False):
            stale.filter(tool__in=chunk).delete()
    keys = [
        SearchKey(tool_id=pk, key=key, kind=kind)
        for pk, name, slug in rows
        for key, kind in keys_for(
            name=name,
            slug=slug,
            aliases=aliases.get(pk, ()),
            synonyms=synonyms.get(pk, ()),
        )
    ]
    SearchKey.objects.bulk_create(keys, batch_size=1000)
    return len(keys)


# --- Ranking ------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class _Hit:
    tier: int
    closeness: int
    is_deprecated: bool
    stacks: int
    followers: int
    stars: int
    name: str
    tool_id: int


def _hit(tier: int, closeness: int, row: Sequence[Any]) -> _Hit:
    tool_id, stacks, followers, stars, name, deprecated = row
    return _Hit(
        tier,
        closeness,
        deprecated,
        -stacks,
        -followers,
        -(stars or 0),
        name.casefold(),
        tool_id,
    )


def _key_rows(keys: QuerySet[SearchKey]) -> list[tuple[Any, ...]]:
    return list(
        keys.values_list(
            "key", "kind", "tool_id", *(f"tool__{field}" for field in POPULARITY)
        )
    )


def rank_tool_ids(
    query: str,
    *,
    tools: QuerySet[Tool] | None = None,
    limit: int = MAX_RESULTS,
    descriptions: bool = True,
) -> list[int]:
    """The ids of the tools matching ``query``, best first (see the module)."""
    query = without_registry(clean_query(query))
    key = search_key(query)
    if not key:
        return []
    base = Tool.objects.approved() if tools is None else tools
    keys = SearchKey.objects.filter(tool__in=base.values("pk"))
    best: dict[int, _Hit] = {}

    def consider(hit: _Hit) -> None:
        if hit.tool_id not in best or hit < best[hit.tool_id]:
            best[hit.tool_id] = hit

    variants = key_variants(key)
    # The words of a longer query that name a tool ("postgres" in
    # "postgres sql"): such a tool leads the text matches.
    words = [word for word in word_keys(query) if word != key] if " " in query else []
    matching = Q(key__startswith=key) | Q(key__in=[*variants, *words])
    named_by_a_word: set[int] = set()
    for found, kind, *row in _key_rows(keys.filter(matching)):
        if not found.startswith(key) and found not in variants:
            if kind in NAMES:
                named_by_a_word.add(row[0])
            continue
        exact = found == key or found in variants
        if kind in NAMES:
            tier = 0 if exact else 2
        elif kind == SearchKeyKind.ALIAS:
            # The start of a longer package name ("postgress" of
            # "postgres-socket-factory") is weaker evidence than a name
            # typed with one typo: it shares their tier, after them.
            tier = 1 if exact else 4
        else:
            tier = 3
        # The closest first: the key as typed before its "js" variant, and
        # among prefixes the shortest name ("java" before "javascript").
        closeness = int(found != key) if exact else len(found) - len(key)
        consider(_hit(tier, closeness, row))
    named = len(best)

    for text_row in _text_rows(base, query, descriptions=descriptions):
        closeness = text_row[-1] * 2 + (text_row[0] not in named_by_a_word)
        consider(_hit(5, closeness, text_row[:-1]))

    if named < FUZZY_BELOW:
        for hit in _typo_hits(base, key):
            consider(hit)

    return [hit.tool_id for hit in sorted(best.values())[:limit]]


def _text_rows(
    base: QuerySet[Tool], query: str, *, descriptions: bool
) -> list[tuple[Any, ...]]:
    """Tools whose name or tagline holds every word of the query (closeness
    0), or whose description does (closeness 1); words of three letters or
    digits or more, found inside a name and at the start of a word in the
    texts."""
    # One or two letters are inside too many words to mean anything there
    # ("tf", "re", "c++"); those queries rank by names alone. PostgreSQL's
    # trigram indexes need three too: "c++" read every tool (240 ms).
    words = [word for word in fold(query).split() if letters_and_digits(word) >= 3][:8]
    if not words:
        return []
    short = Q()
    for word in words:
        short &= Q(name__icontains=word) | _starts_a_word("tagline", word)
    described = Q(pk__in=[])
    if descriptions:
        described = Q()
        for word in words:
            described &= _starts_a_word("description", word)
    rows = (
        base.filter(short | described)
        .annotate(closeness=Case(When(short, then=Value(0)), default=Value(1)))
        .order_by("closeness", "-stack_count", "-follower_count", "name")
        .values_list("pk", *POPULARITY, "closeness")[:MAX_RESULTS]
    )
    return list(rows)


def _starts_a_word(field: str, word: str) -> Q:
    """``word`` at the start of a word of ``field``: "aws" in "AWS Lambda"
    or "(AWS)", not in "draws"; the same on every database.

    Performance: the text must hold the word, which one trigram index scan
    finds on PostgreSQL; a regular expression then checks what comes before
    it in those rows alone. Written as five patterns (at the start, after a
    space, a bracket...), each scanned the index again for the same
    trigrams: 17 ms of a search for "postgress" at scale 1.
    """
    return Q(**{f"{field}__icontains": word}) & Q(
        **{f"{field}__iregex": rf"(^|[ (/-]){re.escape(word)}"}
    )


def _typo_hits(tools: QuerySet[Tool], key: str) -> list[_Hit]:
    """Names, synonyms and words of these tools a few typos from the query.

    They start with its first or second letter (a typo in the first letter
    is rare, a swap of the first two is not). One typo of a whole name or
    synonym ("reakt", "postgres sql") is as sure as a match gets and ranks
    above the text matches (tier 4); other typos rank last (tier 6), a
    whole name before a single word.
    """
    allowance = typo_allowance(key)
    if not allowance:
        return []
    candidates = _band(
        letters=key[:2],
        shortest=len(key) - allowance,
        longest=len(key) + allowance,
    )
    found: dict[int, tuple[int, int]] = {}
    for name, kind, tool_id in candidates:
        distance = edit_distance(key, name, allowance)
        if distance > allowance:
            continue
        if distance == 1 and kind in NAMES:
            place = (4, 0)
        else:
            place = (6, distance * 2 + (kind == SearchKeyKind.WORD))
        found[tool_id] = min(place, found.get(tool_id, place))
    return [_hit(*found[row[0]], row) for row in _popularity_rows(tools, list(found))]


def _band(
    *,
    letters: Iterable[str],
    shortest: int,
    longest: int | None = None,
) -> QuerySet[SearchKey, tuple[str, int, int]]:
    """(key, kind, tool id) of every name, synonym and word that starts with
    one of ``letters`` and is ``shortest`` long or more (up to ``longest``),
    read off the index searchkey_typo_band. Keys of any tool: callers read
    the tools of the keys within reach from the tools they rank
    (``_popularity_rows``), which leaves the others out.

    Performance: each key's tool's stacks count was looked up in the query,
    to measure only the thousand keys of the most used tools: a subquery
    per key of the band (a median of 1,300 keys at scale 1, up to 5,300),
    10.7 ms a search. Reading the band alone and measuring every key takes
    5.4 ms (0.6 of them measuring), and leaves out no typo of a less used
    tool.
    """
    band = SearchKey.objects.annotate(
        first=Left("key", 1), length=Length("key")
    ).filter(
        first__in=sorted(set(letters)),
        length__gte=shortest,
        kind__in=[*NAMES, SearchKeyKind.WORD],
    )
    if longest is not None:
        band = band.filter(length__lte=longest)
    return band.values_list("key", "kind", "tool_id")


def _popularity_rows(tools: QuerySet[Tool], ids: list[int]) -> list[tuple[Any, ...]]:
    """(id, *POPULARITY) of these tools, as ``_hit`` reads them."""
    if not ids:
        return []
    return list(tools.filter(pk__in=ids).order_by().values_list("pk", *POPULARITY))


class Ranked[M: Model](Sequence[M]):
    """Rows in an order known up front, for a paginator: each page's rows
    are read by id from ``rows`` when that page is asked for (one query).
    Search ranks tools this way, and the posts it finds (``search.kinds``)."""

    def __init__(self, ids: list[int], rows: QuerySet[M]) -> None:
        self.ids = ids
        self.rows = rows

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # type: ignore[override]  # Paginator calls count() with no arguments
        """The paginator's count, without a query."""
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...
    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        wanted = self.ids[index]
        found = {row.pk: row for row in self.rows.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]


def search_tools(
    query: str,
    *,
    tools: QuerySet[Tool] | None = None,
    limit: int = MAX_RESULTS,
    descriptions: bool = True,
) -> Ranked[Tool]:
    """Tools matching what a reader typed, ranked the site's way.

    ``tools`` narrows the search (approved tools by default; filters of the
    "see all" page or the API); the ranking reads it only for ids, and each
    slice of the result fetches its tools from it, with whatever it selects.
    ``descriptions=False`` (autocomplete) leaves descriptions out of the
    text matches.
    """
    base = Tool.objects.approved() if tools is None else tools
    ids = rank_tool_ids(query, tools=base, limit=limit, descriptions=descriptions)
    return Ranked(ids, base)


# --- When nothing is found ------------------------------------------------------


def suggest_tools(query: str, *, limit: int = 3) -> list[Tool]:
    """The nearest names to a query that found nothing: "did you mean …".

    Looser than the typo tier: one more edit, the start of longer names,
    and each word of the query on its own ("postgrey sequel").
    """
    query = clean_query(query)
    wanted = [
        key
        for key in dict.fromkeys([search_key(query), *word_keys(query)])
        if len(key) >= 3
    ]
    if not wanted:
        return []
    tools = Tool.objects.approved()
    candidates = _band(
        letters=[letter for key in wanted for letter in key[:2]],
        shortest=min(len(key) - typo_allowance(key) - 1 for key in wanted),
    )
    closest: dict[int, int] = {}
    for found, _kind, tool_id in candidates:
        for key in wanted:
            allowance = typo_allowance(key) + 1
            distance = min(
                edit_distance(key, found, allowance),
                edit_distance(key, found[: len(key)], allowance) + 1,
            )
            if distance <= allowance:
                closest[tool_id] = min(distance, closest.get(tool_id, distance))
    scored = [
        _hit(0, closest[row[0]], row) for row in _popularity_rows(tools, list(closest))
    ]
    ids = [hit.tool_id for hit in sorted(scored)[:limit]]
    found_tools = {
        tool.pk: tool
        for tool in Tool.objects.filter(pk__in=ids).select_related("function")
    }
    return [found_tools[pk] for pk in ids if pk in found_tools]


def closest_categories(
    query: str, *, near: Iterable[Tool] = (), limit: int = 4
) -> list[Category]:
    """Catalog nodes a reader who found nothing may browse: those whose
    name shares a word with the query, then the functions of the suggested
    tools."""
    words = [word for word in word_keys(clean_query(query)) if len(word) >= 3]
    matches = Q(pk__in=[tool.function_id for tool in near])
    for word in words:
        matches |= Q(name__icontains=word) | Q(slug__icontains=word)
    if not words and not near:
        return []
    categories = list(
        Category.objects.filter(matches).order_by("-level", "name")[: limit * 3]
    )
    named = [c for c in categories if any(w in search_key(c.name) for w in words)]
    rest = [c for c in categories if c not in named]
    return (named + rest)[:limit]
