"""What a reader and a member do with the catalog in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from tools.models import ProCon, Tool
from tools.tests.factories import make_category, make_procon, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    layer = make_category(name="Application & Data", level=1)
    group = make_category(name="Languages & Frameworks", parent=layer)
    micro = make_category(name="Microframeworks", parent=group)
    devops = make_category(name="DevOps", level=1)
    ci = make_category(
        name="Continuous Integration", parent=make_category(name="CI/CD", parent=devops)
    )
    flask = make_tool(
        name="Flask",
        function=micro,
        tagline="A small Python web framework",
        github_stars=70_000,
    )
    make_tool(name="Bottle", function=micro, github_stars=8_000)
    make_tool(name="Jenkins", function=ci, github_stars=23_000)
    make_procon(tool=flask, kind="con", text="Few batteries included")
    return flask


def test_member_searches_follows_votes_and_weighs_in(page, sign_in, catalog):
    """Header search to the tool page, then follow, upvote, add a pro, vote on a con."""
    member = make_member(username="ada")
    sign_in(page, member)
    page.goto("/")
    page.get_by_role("combobox", name="Search the site").fill("fla")
    page.get_by_role("option", name=re.compile("Flask")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flask")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name=re.compile("^Follow")).click()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Upvote")).click()
    expect(page.get_by_role("button", name=re.compile("^Upvoted"))).to_be_visible()
    expect(page.locator("#follower-count")).to_have_text("1")
    expect(page.locator("#vote-count")).to_have_text("1")
    assert page.evaluate("window.notReloaded") is True

    con = page.locator(".procon--con", has_text="Few batteries included")
    con.get_by_role("button", name=re.compile("Vote for this point")).click()
    expect(con.locator(".vote-count")).to_have_text("1")

    page.get_by_label("Pro", exact=True).check()
    page.get_by_label("Your point").fill("Readable in an afternoon")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".procon--pro")).to_contain_text("Readable in an afternoon")

    # Everything survives a reload, and the buttons remember the member's state.
    page.reload()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Upvoted"))).to_be_visible()
    flask = Tool.objects.get(slug="flask")
    assert (flask.follower_count, flask.vote_count) == (1, 1)
    assert ProCon.objects.get(text="Few batteries included").vote_count == 1


def test_duplicate_pro_gets_a_clear_message(page, sign_in, catalog):
    sign_in(page, make_member(username="ada"))
    page.goto(catalog.get_absolute_url())
    page.get_by_label("Con", exact=True).check()
    page.get_by_label("Your point").fill("few batteries included!")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("already listed")).to_be_visible()
    assert ProCon.objects.filter(tool=catalog).count() == 1


def test_anonymous_reader_is_asked_to_log_in_to_follow(page, catalog):
    page.goto(catalog.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Follow")).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/tools/flask/"))


def test_catalog_filters_and_sorts_without_a_reload(page, catalog):
    page.goto("/tools/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Layer").select_option(label="Application & Data")
    expect(page.locator(".tool-row")).to_have_count(2)
    page.get_by_label("Sort by").select_option(label="Most GitHub stars")
    expect(page.locator(".tool-row__name")).to_have_text(["Flask", "Bottle"])
    assert page.evaluate("window.notReloaded") is True
    # The view lives in the URL, so it can be shared.
    assert "layer=application-data" in page.url
    assert "sort=stars" in page.url
    page.goto(page.url)
    expect(page.locator(".tool-row__name")).to_have_text(["Flask", "Bottle"])


def test_catalog_filters_work_without_javascript(browser, live_server, catalog):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tools/")
    page.get_by_label("Layer").select_option(label="DevOps")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".tool-row__name")).to_have_text(["Jenkins"])
    context.close()
