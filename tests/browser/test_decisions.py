"""Asking for advice, discussing it, reporting it and moderating it, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from accounts.moderators import MODERATORS_GROUP
from accounts.tests.factories import make_member
from decisions.models import Decision, Report, ReportStatus
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog():
    layer = make_category(name="Application & Data", level=1)
    group = make_category(name="Languages & Frameworks", parent=layer)
    micro = make_category(name="Microframeworks", parent=group)
    langs = make_category(name="Languages", parent=group)
    return (
        make_tool(name="Flask", function=micro, tagline="A small Python web framework"),
        make_tool(
            name="Rust", function=langs, tagline="A language for reliable software"
        ),
    )


def make_moderator():
    # Transactional tests flush the data migrations' group; build it again.
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="decisions",
            codename__in=[
                "view_decision",
                "change_decision",
                "view_comment",
                "change_comment",
                "view_report",
                "change_report",
            ],
        )
    )
    moderator = make_member(username="mod", is_staff=True)
    moderator.groups.add(group)
    return moderator


def settled(page):
    """The page has loaded and htmx has finished its swaps and wired new fields."""
    page.wait_for_load_state()
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(
        0
    )


def pick(page, box, text, option):
    settled(page)
    page.get_by_label(box).fill(text)
    page.get_by_role("option", name=re.compile(option)).click()
    expect(page.locator(".tool-picker__chip", has_text=option)).to_be_visible()
    # The re-rendered form gives the picker its focus back once htmx has
    # settled; typing elsewhere before that would land in the picker.
    expect(page.get_by_label(box)).to_be_focused()
    settled(page)


def test_advice_is_asked_discussed_reported_and_hidden(page, sign_in, catalog):
    flask, rust = catalog
    asker = make_member(
        username="kofi",
        display_name="Kofi Mensah",
        job_title="Founding Engineer",
        company_name="Pebblestack",
    )
    sign_in(page, asker)

    page.goto("/decisions/new/")
    page.get_by_role("link", name=re.compile("Ask for advice")).click()
    page.get_by_label("Your question").fill("Flask or Rust for a tiny ingestion API?")
    pick(page, "Add a tool to “Tools you are weighing”", "fla", "Flask")
    pick(page, "Add a tool to “Tools you are weighing”", "ru", "Rust")
    page.get_by_label("Context").fill(
        "We receive small JSON batches from devices. The team knows Python; one person has written Rust."
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".decision-preview")).to_contain_text(
        "one person has written Rust"
    )
    page.get_by_role("button", name="Ask the community").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Flask or Rust for a tiny ingestion API?"
    )
    expect(page.get_by_text("Founding Engineer at Pebblestack").first).to_be_visible()
    post_url = page.url

    page.goto("/stackups/flask-vs-rust/")
    page.get_by_role("navigation", name="Comparison sections").get_by_role(
        "link", name="Decisions"
    ).click()
    expect(page).to_have_url(re.compile(r"/stackups/flask-vs-rust/decisions/$"))
    expect(page.locator("#stackup-tab")).to_contain_text(
        "Flask or Rust for a tiny ingestion API?"
    )
    for tool in (flask, rust):
        page.goto(tool.get_absolute_url())
        expect(page.locator("section[aria-labelledby=decisions]")).to_contain_text(
            "Flask or Rust for a tiny ingestion API?"
        )

    # A second member answers and reports it.
    page.context.clear_cookies()
    sign_in(page, make_member(username="greta", display_name="Greta Lindqvist"))
    page.goto(post_url)
    page.get_by_label("Your answer or comment").fill(
        "Go with **Flask** first and measure."
    )
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment__body").first).to_contain_text("Go with Flask first")
    page.get_by_role("button", name=re.compile("^Upvote")).click()
    expect(page.get_by_role("button", name=re.compile("^Upvoted"))).to_be_visible()
    page.get_by_role("link", name="Report").first.click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label(re.compile("Anything a moderator should know")).fill(
        "Looks like an advert to me."
    )
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("a moderator will look at it")).to_be_visible()
    assert Report.objects.get().status == ReportStatus.OPEN

    # A moderator hides it from the report queue in the admin.
    page.context.clear_cookies()
    sign_in(page, make_moderator(), mfa=True)
    page.goto("/admin/decisions/report/")
    expect(page.get_by_text("Flask or Rust for a tiny ingestion API?")).to_be_visible()
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("hide_content")
    page.get_by_role("button", name="Run").or_(
        page.get_by_role("button", name="Go")
    ).click()
    page.get_by_label(re.compile("Reason")).fill("Advertising")
    page.locator("input[type=submit][value=Hide]").click()
    expect(page.get_by_text("Hide: 1 item(s).")).to_be_visible()

    decision = Decision.objects.get()
    assert decision.is_hidden
    assert Report.objects.get().status == ReportStatus.ACTIONED

    # Readers no longer find it anywhere; its author still sees it, marked.
    page.context.clear_cookies()
    response = page.goto(post_url)
    assert response.status == 404
    expect(page.get_by_text("This post is not available")).to_be_visible()
    page.goto("/decisions/")
    expect(page.get_by_text("Flask or Rust for a tiny ingestion API?")).to_have_count(0)
    page.goto(flask.get_absolute_url())
    expect(page.get_by_text("Flask or Rust for a tiny ingestion API?")).to_have_count(0)
    page.goto("/stackups/flask-vs-rust/decisions/")
    expect(page.get_by_text("Flask or Rust for a tiny ingestion API?")).to_have_count(0)

    sign_in(page, asker)
    page.goto(post_url)
    expect(page.get_by_text("Hidden by a moderator.")).to_be_visible()
    expect(page.get_by_text("Advertising")).to_be_visible()
