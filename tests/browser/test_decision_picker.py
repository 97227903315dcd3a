"""Tagging a post's tools with the site's one tool picker, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from decisions.models import Decision, ToolRole
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db(transaction=True)

CHOSEN = "Add a tool to “What you chose”"
CONSIDERED = "Add a tool to “What else you considered”"


@pytest.fixture
def catalog():
    frameworks = make_category(name="Web frameworks")
    return [
        make_tool(name=name, function=frameworks, tagline=f"{name}, a framework")
        for name in ("Flask", "Django", "FastAPI")
    ]


def settled(page):
    """htmx has finished its swaps, so the form on the page is the new one."""
    page.wait_for_load_state()
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(
        0
    )


def chip(page, name):
    return page.locator(".tool-picker__chip", has_text=name)


def test_member_tags_tools_by_keyboard_and_mouse_and_removes_one(
    page,
    sign_in,
    catalog,
):
    sign_in(page, make_member(username="ines"))
    page.goto("/decisions/new/?kind=decided")
    settled(page)

    # Keyboard only: type, arrow down to the suggestion, Enter.
    page.get_by_label(CHOSEN).press_sequentially("fla")
    expect(page.get_by_role("option", name=re.compile("Flask"))).to_be_visible()
    page.get_by_label(CHOSEN).press("ArrowDown")
    expect(page.get_by_label(CHOSEN)).to_have_attribute(
        "aria-activedescendant", re.compile(".+")
    )
    page.get_by_label(CHOSEN).press("Enter")
    expect(chip(page, "Flask")).to_be_visible()
    expect(page.get_by_label(CHOSEN)).to_be_focused()
    expect(page.get_by_label(CHOSEN)).to_have_value("")
    settled(page)

    # The mouse, in the other list; a pick never publishes the post.
    page.get_by_label("Title").fill("Why we picked Flask for the API")
    page.get_by_label("Why").fill(
        "We needed something small that the whole team already knew well."
    )
    for name in ("Django", "FastAPI"):
        page.get_by_label(CONSIDERED).fill(name[:3].lower())
        page.get_by_role("option", name=re.compile(name)).click()
        expect(chip(page, name)).to_be_visible()
        expect(page.get_by_label(CONSIDERED)).to_be_focused()
        settled(page)
    assert not Decision.objects.exists()

    page.get_by_role("button", name="Remove FastAPI").click()
    expect(chip(page, "FastAPI")).to_have_count(0)
    settled(page)
    # What was written so far survived every round trip.
    expect(page.get_by_label("Title")).to_have_value("Why we picked Flask for the API")

    page.get_by_role("button", name="Publish decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why we picked Flask for the API"
    )
    decision = Decision.objects.get()
    assert sorted(decision.tool_tags.values_list("tool__slug", "role")) == [
        ("django", ToolRole.CONSIDERED),
        ("flask", ToolRole.CHOSEN),
    ]


def test_without_javascript_typed_names_are_tagged(
    browser,
    live_server,
    sign_in,
    catalog,
):
    """The picker degrades to a text field: typed names, matched on the
    server, become tools; a refused post keeps them."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, make_member(username="noor"))

    page.goto("/decisions/new/?kind=decided")
    page.get_by_label(CHOSEN).fill("flask")
    page.get_by_label(CHOSEN).press("Enter")
    expect(chip(page, "Flask")).to_be_visible()
    page.get_by_label(CONSIDERED).fill("Django, FastAPI")
    page.get_by_role("button", name="Add", exact=True).nth(1).click()
    expect(chip(page, "Django")).to_be_visible()
    expect(chip(page, "FastAPI")).to_be_visible()

    # Too short a title: refused, every tool still there.
    page.get_by_label("Title").fill("Flask")
    page.get_by_label("Why").fill(
        "We needed something small that the whole team already knew well."
    )
    page.get_by_role("button", name="Publish decision").click()
    expect(page.locator(".field__error").first).to_be_visible()
    for name in ("Flask", "Django", "FastAPI"):
        expect(chip(page, name)).to_be_visible()

    page.get_by_role("button", name="Remove FastAPI").click()
    expect(chip(page, "FastAPI")).to_have_count(0)
    page.get_by_label("Title").fill("Why we picked Flask for the API")
    page.get_by_role("button", name="Publish decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why we picked Flask for the API"
    )
    assert sorted(
        Decision.objects.get().tool_tags.values_list("tool__slug", "role")
    ) == [
        ("django", ToolRole.CONSIDERED),
        ("flask", ToolRole.CHOSEN),
    ]
    context.close()
