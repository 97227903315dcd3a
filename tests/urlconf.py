"""Every pattern of the URLconf, for the tests that must reach them all.

The suspension walk (stackshare/tests/test_writes.py) and the hostile-input
sweep (tests/test_url_sweep.py) both assert that they walked as many
patterns as the URLconf holds, so an address added later is never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Route:
    """One pattern, with what is needed to name it and to reach it."""

    name: str | None  # namespace:name, None for an unnamed pattern
    namespaces: tuple[str, ...]
    params: tuple[str, ...]  # its keyword arguments, from every level
    route: str  # the patterns' text joined, for unnamed literal routes
    regex: str  # the full regex, from every level
    converters: dict[str, Any]

    @property
    def template(self) -> tuple[str, list[str]]:
        """A format string (``tools/%(slug)s/``) and its parameters."""
        fmt, params = normalize(self.regex)[0]
        return fmt, params

    def argument_regex(self, param: str) -> str:
        """The regex of a named group, for regex patterns' arguments."""
        start = self.regex.index(f"(?P<{param}>") + len(f"(?P<{param}>")
        depth = 1
        for end in range(start, len(self.regex)):
            char = self.regex[end]
            if char == "(" and self.regex[end - 1] != "\\":
                depth += 1
            elif char == ")" and self.regex[end - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return self.regex[start:end]
        raise ValueError(self.regex)


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    *,
    namespaces: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
    route: str = "",
    regex: str = "",
    converters: dict[str, Any] | None = None,
) -> list[Route]:
    """Every URLPattern below ``patterns`` (the whole URLconf unless
    given), through every include."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    converters = converters or {}
    routes: list[Route] = []
    for pattern in patterns:
        found = tuple(pattern.pattern.regex.groupindex)
        text = route + str(pattern.pattern)
        full = regex + pattern.pattern.regex.pattern.removeprefix("^")
        known = {**converters, **pattern.pattern.converters}
        if isinstance(pattern, URLResolver):
            inner = (
                (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            )
            routes += walk(
                pattern.url_patterns,
                namespaces=inner,
                params=params + found,
                route=text,
                regex=full.removesuffix("$"),
                converters=known,
            )
        else:
            name = ":".join([*namespaces, pattern.name]) if pattern.name else None
            routes.append(Route(name, namespaces, params + found, text, full, known))
    return routes


def count_patterns(patterns: list[URLPattern | URLResolver] | None = None) -> int:
    """How many patterns the URLconf has, counted apart from walk()."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    return sum(
        count_patterns(p.url_patterns) if isinstance(p, URLResolver) else 1
        for p in patterns
    )
