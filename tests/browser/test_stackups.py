"""Comparing tools in a real browser: from a tool page to a stackup and around it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from tools.models import ProCon
from tools.tests.factories import make_category, make_procon, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    layer = make_category(name="Application & Data", level=1)
    group = make_category(name="Languages & Frameworks", parent=layer)
    micro = make_category(name="Microframeworks", parent=group)
    languages = make_category(name="Languages", parent=group)
    flask = make_tool(
        name="Flask", function=micro, tagline="A small Python web framework"
    )
    rust = make_tool(name="Rust", function=languages, tagline="A safe systems language")
    make_procon(tool=rust, text="Fearless concurrency")
    return flask, rust


def test_compare_from_a_tool_page_switch_tabs_vote_and_go_back(page, sign_in, catalog):
    """Pick a second tool, land on the canonical stackup, use its tabs and back."""
    sign_in(page, make_member(username="ada"))
    page.goto("/tools/flask/")
    page.wait_for_load_state()  # htmx wires the picker once the page has loaded
    picker = page.get_by_role("combobox", name="Another tool")
    picker.fill("rus")
    page.locator("#compare-with-results").get_by_role(
        "option", name=re.compile("Rust")
    ).click()
    expect(picker).to_have_value("Rust")
    page.get_by_role("button", name="Compare", exact=True).click()

    # Whatever order the tools were picked in, the address is canonical.
    expect(page).to_have_url(re.compile(r"/stackups/flask-vs-rust/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask vs Rust")
    expect(page.get_by_role("row", name=re.compile("GitHub stars"))).to_be_visible()

    page.evaluate("window.notReloaded = true")
    tabs = page.get_by_role("navigation", name="Comparison sections")
    tabs.get_by_role("link", name="Comparison").click()
    expect(page).to_have_url(re.compile(r"/stackups/flask-vs-rust/comparison/$"))
    point = page.locator(".procon", has_text="Fearless concurrency")
    point.get_by_role("button", name=re.compile("Vote for this point")).click()
    expect(point.locator(".vote-count")).to_have_text("1")
    assert ProCon.objects.get(text="Fearless concurrency").vote_count == 1

    tabs.get_by_role("link", name="Alternatives").click()
    expect(page).to_have_url(re.compile(r"/alternatives/$"))
    expect(page.get_by_role("heading", name="Instead of Rust")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    # Back walks through the tabs, then out to the tool page.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/comparison/$"))
    expect(tabs.get_by_role("link", name="Comparison")).to_have_attribute(
        "aria-current", "page"
    )
    page.go_back()
    expect(page).to_have_url(re.compile(r"/stackups/flask-vs-rust/$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tools/flask/$"))


def test_tabs_work_without_javascript(browser, live_server, catalog):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/stackups/rust-vs-flask/")
    expect(page).to_have_url(re.compile(r"/stackups/flask-vs-rust/$"))
    page.get_by_role("link", name="Comparison", exact=True).click()
    expect(page).to_have_url(re.compile(r"/comparison/$"))
    expect(page.get_by_text("Fearless concurrency")).to_be_visible()
    context.close()
