"""Following things and reading the feed and notifications in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from decisions.tests.factories import make_comment, make_decision
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db(transaction=True)


def test_follow_from_suggestions_then_read_the_feed_and_a_notification(page, sign_in):
    """A new member follows two suggested tools, sees a post about one with
    its reason, and is notified when someone comments on their own post."""
    kafka = make_tool(name="Kafka", follower_count=30)
    make_tool(name="RabbitMQ", follower_count=20)
    make_tool(name="Unfollowed", follower_count=1)
    newcomer = make_member(username="ines", display_name="Inês Duarte")
    other = make_member(username="omar", display_name="Omar Haddad")
    sign_in(page, newcomer)

    page.goto("/feed/")
    expect(page.get_by_text("Start by following a few tools")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    for name in ("Kafka", "RabbitMQ"):
        card = page.locator(".suggestion", has_text=name)
        card.get_by_role("button", name=re.compile("^Follow")).click()
        expect(
            card.get_by_role("button", name=re.compile("^Following"))
        ).to_be_visible()
    assert page.evaluate("window.notReloaded") is True

    make_decision(author=other, title="We moved our event bus to Kafka", chosen=[kafka])
    own_post = make_decision(
        author=newcomer,
        title="Queues for a small team?",
        kind="advice",
        considered=[kafka],
    )
    page.goto("/feed/")
    item = page.locator(".feed-item", has_text="We moved our event bus to Kafka")
    expect(item).to_contain_text("because you follow Kafka")

    make_comment(decision=own_post, author=other, body="Start with RabbitMQ.")
    page.goto("/")
    badge = page.locator("#unread-badge")
    expect(badge).to_contain_text("1")
    page.get_by_role("link", name="Notifications").click()
    expect(
        page.get_by_text("Omar Haddad commented on “Queues for a small team?”")
    ).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    page.goto("/")
    expect(page.locator(".notify-badge")).to_have_count(0)


def test_a_large_import_reads_whole_from_the_feed(page):
    """A stack import is one line of the feed; its "more changes" chip opens
    that day's changes of the stack, every one of them."""
    from stacks.tests.factories import make_company, make_stack

    make_stack(
        name="Data platform",
        company=make_company(name="Acme"),
        tools=[make_tool(name=f"Imported {n:02}") for n in range(20)],
    )
    page.goto("/")
    page.get_by_role("link", name="Feed", exact=True).first.click()
    line = page.locator(".feed-item", has_text="Data platform")
    expect(line.locator(".feed-change")).to_have_count(12)
    line.get_by_role("link", name="8 more changes").click()

    expect(page.get_by_role("heading", name="History of Data platform")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^20 changes on"))).to_be_visible()
    expect(page.locator(".timeline__event")).to_have_count(20)
    page.get_by_role("link", name="See the whole history").click()
    expect(page).to_have_url(re.compile(r"/stacks/[\w-]+/history/$"))
    page.get_by_role("link", name="Data platform").click()
    expect(page.locator("#timeline")).to_contain_text("Added Imported 19")
