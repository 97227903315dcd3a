"""The API docs page in a real browser, under the site's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db(transaction=True)


def test_docs_page_lists_the_operations_from_our_own_files(page, live_server):
    """Swagger UI comes from our static files, nothing from elsewhere, and
    lists the endpoints; the page fixture fails on any CSP error."""
    make_tool(name="Django")
    outside: list[str] = []

    def note_outside(request):
        if not request.url.startswith(live_server.url):
            outside.append(request.url)

    page.on("request", note_outside)
    page.goto("/api/docs/")
    expect(page.get_by_text("/api/v1/tools/", exact=True).first).to_be_visible()
    assert not outside, outside


def test_docs_follow_the_readers_dark_scheme(page, live_server):
    """Swagger UI's own dark theme is switched on for a dark-scheme reader."""
    page.emulate_media(color_scheme="dark")
    page.goto("/api/docs/")
    expect(page.locator("html")).to_have_class("dark-mode")
    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).not_to_have_class("dark-mode")
