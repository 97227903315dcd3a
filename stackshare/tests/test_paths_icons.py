"""Addresses built from a cached prefix, and icons looked up by name (issue 19)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from stackshare.paths import slug_path
from stackshare.templatetags.icons import SHAPES


@pytest.mark.parametrize(
    ("viewname", "kwarg", "value"),
    [
        ("tools:detail", "slug", "postgresql"),
        ("tools:category", "slug", "databases"),
        ("stacks:company_detail", "slug", "acme-2"),
        ("stacks:detail", "slug", "acme_main"),
        ("accounts:profile", "username", "ada"),
        # Outside the plain slug alphabet: reverse() quotes it.
        ("accounts:profile", "username", "ada@example.org"),
        ("accounts:profile", "username", "zoë"),
    ],
)
def test_slug_path_matches_reverse(viewname: str, kwarg: str, value: str) -> None:
    assert slug_path(viewname, value, kwarg=kwarg) == reverse(
        viewname, kwargs={kwarg: value}
    )


def test_slug_path_follows_the_script_prefix() -> None:
    set_script_prefix("/sub/")
    try:
        assert slug_path("tools:detail", "redis") == "/sub/tools/redis/"
        assert slug_path("tools:detail", "redis") == reverse(
            "tools:detail", kwargs={"slug": "redis"}
        )
    finally:
        set_script_prefix("/")


def icon(source: str) -> str:
    return Template("{% load icons %}" + source).render(Context())


def test_icon_draws_the_named_shapes() -> None:
    html = icon('{% icon "arrow-up" "icon--sm" %}')
    assert html.strip().startswith('<svg class="icon icon--sm" viewBox="0 0 24 24"')
    assert SHAPES["arrow-up"] in html


def test_unknown_icon_is_an_empty_svg() -> None:
    html = icon('{% icon "no-such-icon" %}')
    assert "<path" not in html
    assert html.strip().endswith("</svg>")
