from __future__ import annotations

import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from accounts.tests.factories import make_member, sign_in_with_mfa
from decisions.tests.factories import make_decision
from stackshare.outages import check_health
from stackshare.tests.conftest import redis_caches
from stackups.services import resolve, stackup_for
from tools.services import follow_tool
from tools.tests.factories import make_procon, make_tool


@pytest.mark.django_db
def test_healthz_reports_a_working_database_and_cache(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]  # never cached


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    """Nothing can be served without the database: load balancers take the
    server out."""
    with mock.patch("stackshare.outages.ask_database", return_value=lambda wait: False):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_a_database_that_refuses_queries_does_not_answer():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL, test_faults stops a real server")
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("down"),
    ):
        assert check_health() == (False, True)


@pytest.mark.django_db
def test_healthz_is_degraded_but_200_when_only_redis_is_down(
    client, settings, tmp_path
):
    """Pages are still served, uncached: the server stays in rotation."""
    settings.CACHES = redis_caches(f"unix://{tmp_path}/nobody-here.sock")
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert time.monotonic() - started < 1
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
    }


@pytest.mark.django_db
def test_healthz_answers_within_a_second_when_redis_hangs(client, settings):
    """A Redis that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    host, port = listener.getsockname()
    settings.CACHES = redis_caches(f"redis://{host}:{port}/0")
    try:
        started = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - started
    finally:
        listener.close()
    assert elapsed < 1
    assert response.json()["cache"] == "unavailable"


@pytest.mark.django_db
def test_home_page_explains_the_site(client, django_assert_num_queries):
    # trending tools (new follows counted, the most followed others while few
    # were, then the tools: none here), stackups, decisions, recently changed
    # company stacks
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Share your stack" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_trending_tools_and_popular_stackups(client):
    quiet = make_tool(name="Quiet", follower_count=100)
    rising = make_tool(name="Rising")
    for member in [make_member(), make_member()]:
        follow_tool(user=member, tool=rising)
    make_tool(name="Rust")
    stackup_for(resolve("quiet-vs-rust"))
    content = client.get(reverse("home")).content.decode()
    assert content.index("Rising") < content.index("Quiet")  # new followers first
    assert "+2 followers this month" in content
    assert "Quiet vs Rust" in content
    assert quiet


@pytest.mark.django_db
def test_home_query_budget_for_a_member_is_flat(
    member_client, member, django_assert_num_queries
):
    """A member also sees the newest items of their feed, at a fixed cost."""
    tool = make_tool(name="Flask")
    follow_tool(user=member, tool=tool)
    make_procon(tool=tool, text="Tiny core")
    stackup_for(resolve(f"flask-vs-{make_tool().slug}"))
    make_decision(chosen=[tool])
    # session, user, trending (new follows counted, the most followed others
    # while few were, then the tools), stackups, their tools, latest decisions, their tags, changed company
    # stacks, follows and mutes (one UNION), feed decisions, their tags, their
    # decision records, pros and cons (a walk to the newest groups, then the
    # rows of those shown)
    with django_assert_num_queries(16):
        response = member_client.get(reverse("home"))
    assert "New in your feed" in response.content.decode()
    for _ in range(10):
        other = make_tool()
        follow_tool(user=member, tool=other)
        make_procon(tool=other)
        stackup_for(resolve(f"flask-vs-{other.slug}"))
        make_decision(chosen=[other])
    with django_assert_num_queries(16):
        member_client.get(reverse("home"))


@pytest.mark.django_db
def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "site-header" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    """The 500 page must render from an empty context, as Django does."""
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "went wrong" in response.content.decode().lower()


def test_security_headers_are_sent(client, db):
    """Every response carries the CSP and the other hardening headers."""
    response = client.get(reverse("home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_robots_txt_keeps_crawlers_out_of_private_and_endless_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    rules = response.content.decode().splitlines()
    assert "User-agent: *" in rules
    assert {"Disallow: /admin/", "Disallow: /accounts/", "Disallow: /feed/"} <= set(
        rules
    )
    assert "Disallow: /tools/" not in rules


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("img/favicon.svg")


@pytest.mark.django_db
def test_back_office_pages_name_the_site_icon(client, staff):
    sign_in_with_mfa(client, staff)
    assert b"img/favicon.svg" in client.get(reverse("admin:index")).content


@pytest.mark.django_db
def test_pages_are_compressed_with_random_padding(client):
    """HTML goes out gzipped for browsers that accept it, and two responses
    of the same page differ in size, so a secret's length cannot be read
    off the compressed size (BREACH)."""
    make_tool(name="PostgreSQL", description="A relational database. " * 40)
    url = reverse("tools:detail", kwargs={"slug": "postgresql"})
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    sizes = set()
    for _ in range(5):
        zipped = client.get(url, headers={"accept-encoding": "gzip"})
        assert zipped["Content-Encoding"] == "gzip"
        assert len(zipped.content) < len(plain.content) / 2
        sizes.add(len(zipped.content))
    assert len(sizes) > 1
