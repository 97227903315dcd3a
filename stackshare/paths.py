"""Addresses of objects by slug, without a URL reversal each.

Performance: a list page links every row (tools, companies, members...), and
``reverse()`` walks the URL resolver for each; a cold tool page did some
seventy. The address of a slug route is its reversed prefix plus the slug,
so the prefix is reversed once (per script prefix) and the slug appended.
Slugs outside the plain slug alphabet fall back to ``reverse()``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.urls import get_script_prefix, reverse

PLACEHOLDER = "slug-placeholder-0"
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")


@lru_cache(maxsize=64)
def _pattern(viewname: str, kwarg: str, script_prefix: str) -> tuple[str, str]:
    path = reverse(viewname, kwargs={kwarg: PLACEHOLDER})
    head, _, tail = path.partition(PLACEHOLDER)
    return head, tail


def slug_path(viewname: str, slug: str, kwarg: str = "slug") -> str:
    """What ``reverse(viewname, kwargs={kwarg: slug})`` answers, for a plain slug."""
    if not PLAIN_SLUG.match(slug):
        return reverse(viewname, kwargs={kwarg: slug})
    head, tail = _pattern(viewname, kwarg, get_script_prefix())
    return f"{head}{slug}{tail}"
