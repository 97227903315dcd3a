"""Views count people reading, once a day each; robots count none."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from decisions.models import Decision
from decisions.tests.factories import make_decision
from stackshare.viewcounts import visitor_of
from stackups.models import Stackup
from stackups.services import resolve, stackup_for
from tools.tests.factories import make_tool

ROBOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; YandexSpider/3.0)",
    "Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
]
BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; Cubot P40) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "",
]


def anonymous_request(agent: str):
    request = RequestFactory().get("/", headers={"user-agent": agent})
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize("agent", ROBOTS)
def test_a_robot_is_no_visitor(agent):
    assert visitor_of(anonymous_request(agent)) is None


@pytest.mark.parametrize("agent", BROWSERS)
def test_a_browser_is_a_visitor_told_apart_by_its_agent(agent):
    visitor = visitor_of(anonymous_request(agent))
    assert visitor is not None
    assert visitor != visitor_of(anonymous_request(agent + " other"))


def test_a_crawl_counts_no_view_of_a_post_or_a_comparison(client, db):
    post = make_decision()
    make_tool(name="Flask")
    make_tool(name="Django")
    stackup_for(resolve("django-vs-flask"))
    for agent in ROBOTS:
        client.get(post.get_absolute_url(), headers={"user-agent": agent})
        client.get("/stackups/django-vs-flask/", headers={"user-agent": agent})
    assert Decision.objects.get(pk=post.pk).view_count == 0
    assert Stackup.objects.get().view_count == 0

    for agent in BROWSERS[:2]:
        client.get(post.get_absolute_url(), headers={"user-agent": agent})
        client.get("/stackups/django-vs-flask/", headers={"user-agent": agent})
    assert Decision.objects.get(pk=post.pk).view_count == 2
    assert Stackup.objects.get().view_count == 2
