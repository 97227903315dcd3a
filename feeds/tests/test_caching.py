"""A member's feed is kept for them; everything it is built from shows at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import services as account_services
from decisions import services as decision_services
from decisions.tests.factories import make_decision
from feeds.models import Reading
from stacks import services as stack_services
from stacks.tests.factories import make_company, make_stack
from stackshare.caching import BUCKETS
from tools import services
from tools.models import ProConKind
from tools.tests.factories import make_procon, make_tool


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def flask(db):
    return make_tool(name="Flask")


@pytest.fixture
def feed(member_client, django_capture_on_commit_callbacks):
    """The member's feed, read after ``change`` commits."""

    def read(change=None):
        if change is not None:
            with django_capture_on_commit_callbacks(execute=True):
                change()
        response = member_client.get(reverse("feeds:feed"))
        assert response.status_code == 200
        return response.content.decode()

    return read


def test_reading_the_feed_again_costs_only_the_session(
    cached, member_client, member, flask, django_assert_num_queries
):
    """The session alone: the member is kept too (accounts.backends); no
    feed query."""
    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask, text="Tiny and readable")
    # The first answer sets the browser's CSRF cookie (a real sign-in has
    # already); the member's copy is kept under it from then on.
    member_client.get(reverse("feeds:feed"))
    first = member_client.get(reverse("feeds:feed"))
    with django_assert_num_queries(1):
        second = member_client.get(reverse("feeds:feed"))
    assert "Tiny and readable" in second.content.decode()
    assert second.content == first.content


def test_news_about_what_the_member_follows_shows_at_once(
    cached, feed, member, other_member, flask
):
    services.follow_tool(user=member, tool=flask)
    account_services.follow_member(follower=member, followed=other_member)
    assert "Tiny and readable" not in feed()
    assert "Tiny and readable" in feed(
        lambda: services.add_procon(
            tool=flask,
            kind=ProConKind.PRO,
            text="Tiny and readable",
            author=other_member,
        )
    )
    assert "Why we left Rails" in feed(
        lambda: make_decision(author=other_member, title="Why we left Rails")
    )
    stack = make_stack(owner_user=other_member, name="Side project")
    assert "Side project" in feed(
        lambda: stack_services.add_tool_to_stack(
            stack=stack, tool=make_tool(name="Rust"), added_by=other_member
        )
    )


def test_a_feed_of_many_follows_reads_their_buckets_and_still_moves_with_each(
    cached, feed, member, other_member, monkeypatch
):
    """Following 150 tools, a cached feed reads at most ``BUCKETS`` versions
    of them, not 150; a point about any one of them still shows at once."""
    function = make_tool(name="Seed").function
    tools = [make_tool(name=f"Tool {n}", function=function) for n in range(150)]
    for tool in tools:
        services.follow_tool(user=member, tool=tool)
    feed()
    feed()  # kept from here on (the first answer set the CSRF cookie)
    asked: list[int] = []
    get_many = cache.get_many

    def counting(keys, *args, **kwargs):
        asked.append(len(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting)
    feed()
    # The page's header list, STRUCTURE, the reader's version, the buckets,
    # and the page itself.
    assert asked, "a cached feed reads its versions"
    assert max(asked) <= 4 + BUCKETS
    monkeypatch.undo()
    last = tools[-1]
    assert "Fast enough for us" in feed(
        lambda: services.add_procon(
            tool=last,
            kind=ProConKind.PRO,
            text="Fast enough for us",
            author=other_member,
        )
    )


def test_follows_and_mutes_change_the_feed_at_once(
    cached, feed, member, other_member, flask
):
    acme = make_company(name="Acme", owner=other_member)
    make_decision(author=other_member, title="Acme goes serverless")
    assert "Acme goes serverless" not in feed()
    assert "Acme goes serverless" in feed(
        lambda: stack_services.follow_company(user=member, company=acme)
    )
    assert "Acme goes serverless" not in feed(
        lambda: stack_services.mute_company(user=member, company=acme)
    )


def test_moderation_takes_posts_out_at_once(
    cached, feed, member, other_member, moderator, flask
):
    services.follow_tool(user=member, tool=flask)
    post = make_decision(
        author=other_member, title="Flask in production", chosen=[flask]
    )
    assert "Flask in production" in feed()
    assert "Flask in production" not in feed(
        lambda: decision_services.hide_decision(decision=post, actor=moderator)
    )


def test_each_member_gets_their_own_feed(cached, client, member, other_member, flask):
    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask, text="Tiny and readable")
    client.force_login(member)
    assert "Tiny and readable" in client.get(reverse("feeds:feed")).content.decode()
    client.force_login(other_member)
    page = client.get(reverse("feeds:feed")).content.decode()
    assert "Tiny and readable" not in page
    assert other_member.name in page


def test_a_kept_feed_carries_a_csrf_token_of_the_readers_current_secret(
    cached, member, flask
):
    """Signing in again rotates the CSRF secret: the feed kept for the
    member's earlier session must not come back with a token of the old one,
    or every form and htmx action on it is refused."""
    from django.conf import settings
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(reverse("feeds:feed"))
    # A new session's secret, as a real sign-in sets it.
    client.cookies[settings.CSRF_COOKIE_NAME] = "n" * 32
    page = client.get(reverse("feeds:feed")).content.decode()
    token = page.split('"x-csrftoken": "', 1)[1].split('"', 1)[0]
    response = client.post(
        reverse("tools:follow", args=[flask.slug]),
        {"state": "on"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code != 403


def test_new_feed_settings_show_at_once_on_the_kept_feed(
    cached, member_client, member, feed, django_capture_on_commit_callbacks
):
    """The digest choice and the private feed's address are on the page."""

    def after(data):
        with django_capture_on_commit_callbacks(execute=True):
            member_client.post(reverse("feeds:reading_update"), data)
        feed()  # shows the confirmation, which is never cached
        # Shown, it is expired; a browser drops the cookie, the test client keeps it.
        del member_client.cookies["messages"]
        page = member_client.get(reverse("feeds:feed"))
        assert page["X-Cache"] == "miss"
        return page.content.decode()

    feed()
    before = feed()
    assert re.search(r'value="weekly"[^>]*checked', after({"digest": "weekly"}))
    old_key = Reading.objects.get(user=member).feed_key
    assert old_key in before
    page = after({"new_key": "1"})
    assert old_key not in page
    assert Reading.objects.get(user=member).feed_key in page
