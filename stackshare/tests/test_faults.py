"""Degrade, never fail: real Redis and PostgreSQL servers stopped under requests.

Redis: the site's cache and sessions on a throw-away redis-server
(``redis_settings``), killed while pages, a signed-in page and a
rate-limited write are served, then started again.

PostgreSQL: a second throw-away cluster (the test session's own must keep
running) behind a gunicorn started with the production settings; the
cluster is stopped for a few seconds while requests keep coming.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from decisions.models import Comment
from decisions.tests.factories import make_decision
from tools.tests.factories import make_category, make_tool

ROOT = Path(django_settings.BASE_DIR)


def wait_until(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {seconds} s")
        time.sleep(0.1)


# Redis -------------------------------------------------------------------------


def page_keys(redis_server) -> list[bytes]:
    return redis_server.client().keys("*page:*")


@pytest.mark.django_db
def test_redis_going_away_costs_no_error_and_it_is_used_again_on_return(
    redis_settings, redis_server, member, django_assert_num_queries
):
    redis_settings.DECISION_RATE_LIMITS = {"comment": (2, 600)}
    tool = make_tool(name="Flask", function=make_category(name="Microframeworks"))
    decision = make_decision()
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(member)
    pages = [tool.get_absolute_url(), tool.function.get_absolute_url(), "/"]

    for url in pages:
        assert anonymous.get(url).status_code == 200
    assert len(page_keys(redis_server)) == len(pages)
    with django_assert_num_queries(0):
        assert anonymous.get(tool.get_absolute_url()).status_code == 200

    redis_server.kill()
    started = time.monotonic()
    statuses = [anonymous.get(url).status_code for url in pages * 3]
    mine = signed_in.get(tool.get_absolute_url())  # session from the database
    comment_url = reverse("decisions:comment", args=[decision.pk])
    writes = [
        signed_in.post(comment_url, {"body": f"note {n}"}).status_code for n in range(3)
    ]
    health = anonymous.get(reverse("healthz"))
    during = time.monotonic() - started

    assert statuses == [200] * len(statuses)
    assert mine.status_code == 200
    assert member.display_name in mine.content.decode()
    assert writes == [302, 302, 429]  # the limit still applies
    assert Comment.objects.count() == 2
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
    }
    assert during < 5  # nothing waited on the dead server

    redis_server.start()
    wait_until(
        lambda: anonymous.get(reverse("healthz")).json()["status"] == "ok",
        seconds=5,
        what="healthz reporting the cache back",
    )
    time.sleep(0.4)  # past RETRY_SECONDS, so the next request probes Redis
    assert anonymous.get(tool.get_absolute_url()).status_code == 200
    assert page_keys(redis_server)  # cached in Redis again
    with django_assert_num_queries(0):
        assert anonymous.get(tool.get_absolute_url()).status_code == 200
