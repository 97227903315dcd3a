"""Browsing the four list pages as a reader does: page through, open an item."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from decisions.tests.factories import make_decision
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db(transaction=True)

# Each list shows 24 (20 for posts) items a page; 26 of each makes a second page.
ITEMS = 26


@pytest.fixture
def lists():
    tools = [make_tool(name=f"Tool {n:02}") for n in range(ITEMS)]
    for n in range(ITEMS):
        make_stack(name=f"Stack {n:02}", company=make_company(name=f"Company {n:02}"))
    for n in range(ITEMS):
        make_decision(title=f"Why we picked tool number {n:02}", chosen=[tools[n]])


@pytest.mark.parametrize(
    ("address", "results", "item_link"),
    [
        ("/tools/", "#results", ".tool-row__name"),
        ("/stacks/", "#stack-results", ".stack-card__name a"),
        ("/companies/", "#company-results", ".company-card__name a"),
        ("/decisions/", "#results", ".decision-card__title a"),
    ],
)
def test_next_page_then_an_item_opens_the_item_page_alone(
    page, lists, address, results, item_link
):
    """Paging swaps only the results; an item's link opens its whole page,
    never the item page squeezed into the list's results column."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(address)
    page.evaluate("window.notReloaded = true")

    page.locator(results).get_by_role("link", name="Next").click()
    expect(page.locator(results)).to_contain_text("Page 2 of 2")
    assert page.evaluate("window.notReloaded") is True, "paging reloaded the page"

    link = page.locator(f"{results} {item_link}").first
    title = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".site-header")).to_have_count(1)
    expect(page.locator(results)).to_have_count(0)
    assert not [text for text in console if "targetError" in text], console
