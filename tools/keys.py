"""How search compares what people type with tool names: pure functions.

No Django here: plain text in, keys out. The catalog check
(``tools/catalog.py``) refuses colliding synonyms with these very rules.

A *key* is a name reduced to what people agree on when they type it:
lower case, accents dropped, no spaces, dots, dashes or underscores
("Next.js", "nextjs" and "next js" are one key). A ``js`` ending is
optional when comparing (``key_variants``): "next" finds Next.js and
"reactjs" finds React, while "angularjs" still finds AngularJS first.
``+``, ``#``, ``@`` and ``/`` stay: C, C++ and C# are different tools, and
``@angular/core`` is a package name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import unquote

from rapidfuzz.distance import OSA

MAX_KEY_LENGTH = 200
_DROPPED = re.compile(r"[\s.\-_'\u2019\u00b7,:;!?\"()\[\]{}]+")
_WORD_SPLIT = re.compile(r"[^\w+#@]+")


def fold(text: str) -> str:
    """Lower case without accents: "Pandás" and "pandas" read the same."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def letters_and_digits(text: str) -> int:
    """How many letters and digits a text holds: a text match needs three to
    mean anything inside a word, and PostgreSQL's trigram indexes three to
    narrow it ("c++" holds one)."""
    return sum(character.isalnum() for character in text)


def search_key(text: str) -> str:
    """The key of a name, a synonym, a package name or a query."""
    return _DROPPED.sub("", fold(text))[:MAX_KEY_LENGTH]


def key_variants(key: str) -> list[str]:
    """The key with its ``js`` ending added or taken off ("js" alone stays)."""
    if key.endswith("js"):
        return [key[:-2]] if len(key) > 3 else []
    return [f"{key}js"] if len(key) >= 2 else []


def word_keys(text: str) -> list[str]:
    """The keys of each word of a multi-word name, two characters or more."""
    words = [search_key(word) for word in _WORD_SPLIT.split(fold(text))]
    # The "js" of "Next.js" is no word anyone searches a tool by.
    return [w for w in dict.fromkeys(words) if len(w) >= 2 and w != "js"]


# How people prefix a package with its registry ("pypi:django", "npm:react").
REGISTRY_PREFIX = re.compile(
    r"^(?:pypi|pip|npm|yarn|gem|rubygems|go|gomod|cargo|crates|crate|composer|"
    r"packagist|maven|gradle|nuget|docker|hex|pub|actions|cocoapods|pod|pods|"
    r"swiftpm|spm|swift)\s*:\s*(?!//)(.+)$",
    re.IGNORECASE,
)
# A Package URL as SBOMs write it: "pkg:type/namespace/name@version?q#sub".
PACKAGE_URL = re.compile(
    r"^pkg:/*(?P<type>[a-z][a-z0-9.+-]*)/(?P<path>[^@?#]+)", re.IGNORECASE
)
_GO_VERSION = re.compile(r"/v\d+$")


def without_registry(query: str) -> str:
    """The package name of "pypi:django", "npm: react" or a Package URL
    ("pkg:npm/%40angular/core@17" -> "@angular/core"); other text as is."""
    query = query.strip()
    if purl := PACKAGE_URL.match(query):
        namespace, _, name = unquote(purl["path"].strip("/")).rpartition("/")
        if purl["type"].lower() == "maven" and namespace:
            return f"{namespace}:{name}"  # as Maven aliases are written
        return f"{namespace}/{name}" if namespace else name
    match = REGISTRY_PREFIX.match(query)
    return match.group(1) if match else query


def alias_keys(ecosystem: str, name: str) -> list[str]:
    """The keys of a package name: the whole name, and the part people type
    alone: a Maven artifact without its group ("hibernate-core"), a Go
    module or a Swift package without its host and major version
    ("gin-gonic/gin", "alamofire/alamofire")."""
    names = [name]
    if ecosystem == "maven" and ":" in name:
        names.append(name.rsplit(":", 1)[1])
    if ecosystem in {"gomod", "swiftpm"}:
        # Swift packages are named by their repository, as Go modules are.
        path = _GO_VERSION.sub("", name)
        host, _, rest = path.partition("/")
        names += [path, rest] if "." in host and rest.count("/") == 1 else [path]
    return [key for key in dict.fromkeys(map(search_key, names)) if key]


def typo_allowance(key: str) -> int:
    """How many edits a query of this length may be from a name and still match."""
    if len(key) <= 3:
        return 0
    if len(key) <= 5:
        return 1
    if len(key) <= 9:
        return 2
    return 3


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b.

    The optimal string alignment distance, given up early: any answer above
    ``limit`` comes back as ``limit + 1``.

    Performance: search measures a query against up to a thousand names.
    Our own Python loop over the cells near the diagonal took 6 to 13 ms a
    query for that; rapidfuzz's, in C++, gives the same answers in 0.2 ms.
    """
    return OSA.distance(a, b, score_cutoff=limit)


def synonym_problems(
    *, tools: list[tuple[str, str]], synonyms: Mapping[str, object]
) -> list[str]:
    """What is wrong with synonyms.toml's table, given every (name, slug):
    a slug that is no tool, a term that is another tool's name or slug, a
    term given to two tools (compared as search compares them)."""
    names: dict[str, str] = {}
    for name, slug in tools:
        for text in (name, slug):
            names.setdefault(search_key(text), slug)
    slugs = {slug for _, slug in tools}
    problems: list[str] = []
    owners: dict[str, str] = {}
    for slug, terms in synonyms.items():
        where = f"synonyms.toml: {slug}"
        if slug not in slugs:
            problems.append(f"{where}: no tool has this slug")
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            problems.append(f"{where}: want a list of terms")
            continue
        for term in terms:
            key = search_key(term)
            if not key or len(term) > 100:
                problems.append(f"{where}: bad term {term!r}")
            elif names.get(key, slug) != slug:
                problems.append(f"{where}: {term!r} is the name of {names[key]}")
            elif owners.setdefault(key, slug) != slug:
                problems.append(f"{where}: {term!r} is also a synonym of {owners[key]}")
    return problems
