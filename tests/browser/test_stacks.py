"""Sharing a company's stack in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from tools.tests.factories import make_alias, make_category, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


def settled(page):
    """Wait until the page has loaded and htmx has finished swapping the editor
    in and wired its fields; typing into a field before then goes unheard."""
    page.wait_for_load_state()
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(
        0
    )


@pytest.fixture
def catalog():
    layer = make_category(name="Application & Data", level=1)
    stores = make_category(name="Data Stores", parent=layer)
    sql = make_category(name="Relational Databases", parent=stores)
    cache = make_category(name="In-Memory Databases", parent=stores)
    frameworks = make_category(
        name="Full-Stack Frameworks",
        parent=make_category(name="Languages & Frameworks", parent=layer),
    )
    postgres = make_tool(name="PostgreSQL", function=sql)
    make_tool(name="Redis", function=cache)
    django = make_tool(name="Django", function=frameworks)
    make_alias(tool=django, package="pypi:django")
    celery = make_tool(name="Celery", function=frameworks)
    make_alias(tool=celery, package="pypi:celery")
    return postgres


def test_member_shares_a_company_stack(page, sign_in, catalog, tmp_path):
    """Create a company, pick two tools, import a requirements.txt, see it all."""
    sign_in(page, make_member(username="ada", display_name="Ada Lovelace"))
    page.goto("/stacks/")
    page.get_by_role("link", name="Companies").first.click()
    page.get_by_role("link", name=re.compile("Add your company")).click()
    page.get_by_label("Name").fill("Analytical Engines")
    page.get_by_label("Industry").select_option(label="Software & SaaS")
    page.get_by_role("button", name="Create company").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analytical Engines")

    page.get_by_role("link", name=re.compile("Share a stack")).click()
    page.get_by_label("Name").fill("Main product")
    page.get_by_role("button", name="Create stack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Main product")
    settled(page)

    page.evaluate("window.notReloaded = true")
    picker = page.get_by_role("combobox", name="Add a tool")
    picker.fill("postg")
    page.get_by_role("option", name=re.compile("PostgreSQL")).click()
    expect(page.locator(".stack-item", has_text="PostgreSQL")).to_be_visible()
    settled(page)
    picker = page.get_by_role("combobox", name="Add a tool")
    picker.fill("red")
    expect(page.get_by_role("option", name=re.compile("Redis"))).to_be_visible()
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(page.locator(".stack-item", has_text="Redis")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Added Redis")
    settled(page)
    picker = page.get_by_role("combobox", name="Add a tool")
    picker.fill("Nonexistent")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#tools")).to_contain_text("No tool in the catalog")
    assert page.evaluate("window.notReloaded") is True

    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Django>=5.1\ncelery[redis]==5.4\nleft-pad\n")
    page.get_by_role("link", name=re.compile("Import from a repository")).click()
    page.get_by_label("Upload files").set_input_files(str(requirements))
    page.get_by_role("button", name="Find tools").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review what we found")
    expect(page.get_by_text("pypi:left-pad")).to_be_visible()
    page.get_by_label(re.compile("Celery")).uncheck()
    page.get_by_role("button", name=re.compile("Add selected tools")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Main product")
    tools = page.locator("#tools")
    expect(tools).to_contain_text("Django")
    expect(tools).not_to_contain_text("Celery")
    expect(tools).to_contain_text("Detected")
    expect(tools).to_contain_text("requirements.txt")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(re.compile(r"Added\s+Django,\s+\w+\s+\d{4}"))
    expect(timeline).to_contain_text("Added PostgreSQL")

    page.goto(catalog.get_absolute_url())
    expect(page.locator("#users")).to_contain_text("Analytical Engines")
    page.locator("#users").get_by_role(
        "link", name=re.compile("Analytical Engines")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Analytical Engines")
