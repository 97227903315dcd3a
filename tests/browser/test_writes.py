"""What a suspended member, or one over a rate limit, sees when a button is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.services import suspend_member
from accounts.tests.factories import make_member
from tools.models import ToolFollow
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db(transaction=True)


def test_suspended_member_reads_why_a_button_did_nothing(page, sign_in):
    """An htmx button's refusal replaces the page's content with the reason."""
    tool = make_tool(name="Flask")
    member = make_member(username="ada")
    suspend_member(member=member, actor=make_member(moderator=True))
    sign_in(page, member)
    page.goto(tool.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name=re.compile("^Follow")).click()
    expect(
        page.get_by_role("heading", name="Your account is suspended")
    ).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("change your password")
    assert page.evaluate("window.notReloaded") is True
    assert not ToolFollow.objects.exists()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name=re.compile("Log in"))).to_be_visible()


def test_member_over_the_limit_is_told_how_long_to_wait(page, sign_in, settings):
    settings.RATE_LIMITS = {"write": (1, 600)}
    tool = make_tool(name="Flask")
    sign_in(page, make_member(username="ada"))
    page.goto(tool.get_absolute_url())
    page.get_by_role("button", name=re.compile("^Follow")).click()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Mute")).click()
    expect(page.get_by_role("heading", name="Slow down a little")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("1 changes per 10 minutes")
    assert ToolFollow.objects.count() == 1
