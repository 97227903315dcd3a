"""The list pages' "Previous" and "Next" keep the reader's filters.

The links are built by Django's querystring tag from the request: every
other parameter stays, "page" is replaced, never repeated.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs

import pytest

from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


def pagination_links(response) -> dict[str, dict[str, list[str]]]:
    """The query of each pagination link, by its rel (prev, next)."""
    html = response.content.decode()
    return {
        rel: parse_qs(unescape(href).removeprefix("?"), keep_blank_values=True)
        for rel, href in re.findall(r'rel="(prev|next)" href="([^"]*)"', html)
    }


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_next_and_previous_keep_the_filters(client, htmx):
    function = make_category()
    for number in range(30):
        make_tool(name=f"Tool {number:02}", function=function)
    headers = {"HX-Request": "true"} if htmx else {}

    second = client.get("/tools/?sort=newest&page=2&open_source=", headers=headers)
    first = client.get("/tools/?sort=newest", headers=headers)

    assert pagination_links(second) == {
        "prev": {"sort": ["newest"], "page": ["1"], "open_source": [""]}
    }
    assert pagination_links(first) == {"next": {"sort": ["newest"], "page": ["2"]}}
