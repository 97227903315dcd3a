"""The one search box in a real browser: the combobox by keyboard, the
grouped results and a "see all" page with its filters."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from stacks.tests.factories import make_company
from tools.tests.factories import make_category, make_synonym, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    app = make_category(name="Application & Data", level=1)
    frameworks = make_category(name="Languages & Frameworks", parent=app)
    ui = make_category(name="JavaScript UI Libraries", parent=frameworks)
    devops = make_category(name="DevOps", level=1)
    containers = make_category(
        name="Container Orchestration",
        parent=make_category(name="Containers", parent=devops),
    )
    make_tool(name="React", function=ui, stack_count=120, github_stars=230_000)
    make_tool(name="React Native", function=ui, stack_count=40)
    make_tool(name="Preact", function=ui, stack_count=8)
    kubernetes = make_tool(name="Kubernetes", function=containers, stack_count=90)
    make_synonym(tool=kubernetes, term="k8s")
    make_tool(name="React Cluster Console", function=containers, stack_count=1)
    make_company(name="Reactive Labs")


def test_reader_picks_a_tool_with_the_keyboard(page, catalog):
    """Typing (with a typo) opens the listbox, announces the count, arrows
    move the active option, Escape closes it and Enter opens the tool."""
    page.goto("/")
    box = page.get_by_role("combobox", name="Search the site")
    box.fill("reakt")
    listbox = page.get_by_role("listbox", name="Matching tools")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("React")
    expect(options.first).to_contain_text("JavaScript UI Libraries · 120 stacks")
    expect(page.locator("#site-search-results-status")).to_have_text(
        re.compile(r"\d+ tools? found")
    )

    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    active = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", active)
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")

    box.press("Escape")
    expect(listbox).to_have_count(0)
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_be_focused()

    box.fill("k8s")
    expect(listbox.get_by_role("option").first).to_contain_text("Kubernetes")
    box.press("ArrowDown")
    box.press("Enter")
    expect(page).to_have_url(re.compile("/tools/kubernetes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kubernetes")


def test_reader_searches_everything_then_sees_all_tools(page, catalog):
    """Enter without a choice searches the site: results grouped by kind,
    each with its link; the tools' "see all" page filters by layer."""
    page.goto("/")
    box = page.get_by_role("combobox", name="Search the site")
    box.fill("react")
    expect(page.get_by_role("listbox", name="Matching tools")).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=react$"))
    tools = page.locator("#results-tools")
    expect(tools.get_by_role("heading", level=2)).to_contain_text("Tools")
    expect(tools.locator(".tool-row__name").first).to_have_text("React")
    companies = page.locator("#results-companies")
    expect(companies).to_contain_text("Reactive Labs")

    page.goto("/search/tools/?q=react")
    rows = page.locator("#results .tool-row__name")
    expect(rows).to_have_count(4)
    page.get_by_label("Layer").select_option(label="DevOps")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_text("React Cluster Console")
    expect(page).to_have_url(re.compile("layer=devops"))


def test_nothing_found_suggests_the_nearest_name(page, catalog):
    page.goto("/search/?q=kubernetis+clusterz")
    expect(
        page.get_by_role("heading", name=re.compile("No tool found"))
    ).to_be_visible()
    # The close categories stand apart from the "submit a tool" box below
    # them (a list style once took their margin away).
    categories = page.locator(".search-nothing__categories")
    expect(
        categories.get_by_role("link", name="Container Orchestration")
    ).to_be_visible()
    above = categories.bounding_box()
    below = page.locator(".search-nothing .empty-state").bounding_box()
    assert above
    assert below
    assert below["y"] - (above["y"] + above["height"]) >= 16
    page.get_by_role("link", name="Kubernetes").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Kubernetes$"))
    expect(page.locator("#results-tools .tool-row__name").first).to_have_text(
        "Kubernetes"
    )
