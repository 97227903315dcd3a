"""A newcomer's first steps as `make run` serves them, in a real browser."""

from __future__ import annotations

import io
import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from decisions.models import Decision, ToolRole
from tools.tests.factories import make_tool

PASSWORD = "a long and lovely passphrase"


@pytest.mark.django_db(transaction=True)
def test_confirmation_link_copied_from_the_console_works(page, settings):
    """The sign-up e-mail printed by the development server carries a link
    that works when copied as printed, however long it is."""
    console = io.StringIO()
    settings.MAILERS = {
        "default": {
            "BACKEND": "stackshare.mail.ReadableConsoleEmailBackend",
            "OPTIONS": {"stream": console},
        }
    }
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("lin.with.a.rather.long.address@example.com")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name=re.compile("Verify", re.I))).to_be_visible()

    printed = console.getvalue()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", printed).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Confirm").click()
    assert EmailAddress.objects.get(user__username="lin").verified


@pytest.mark.django_db(transaction=True)
def test_decision_shared_from_a_tool_page_says_the_tool_was_chosen(page, sign_in):
    """ "Share a decision about PostgreSQL" leads to a post where PostgreSQL
    is what the author chose, and the published post says so."""
    postgres = make_tool(name="PostgreSQL", tagline="A relational database")
    make_tool(name="MySQL", tagline="Another relational database")
    sign_in(page, make_member(username="ines"))
    page.goto(postgres.get_absolute_url())
    page.get_by_role("link", name="Share a decision about PostgreSQL").click()
    chosen = page.get_by_role("group", name="What you chose")
    expect(chosen.locator(".tool-picker__chip")).to_have_count(1)
    expect(chosen.locator(".tool-picker__chip")).to_contain_text("PostgreSQL")
    page.get_by_label("Title").fill("Why our ledger moved to PostgreSQL")
    page.get_by_label("Why").fill(
        "Transactions we can trust and one database the whole team knows well."
    )
    page.get_by_role("button", name="Publish decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why our ledger moved to PostgreSQL"
    )
    decision = Decision.objects.get()
    assert [(t.tool.slug, t.role) for t in decision.tool_tags.all()] == [
        ("postgresql", ToolRole.CHOSEN)
    ]
    chose = page.locator(".decision__tool-group", has_text="Chose")
    expect(chose.locator(".decision-chip")).to_have_count(1)
    expect(chose).to_contain_text("PostgreSQL")
    expect(page.get_by_text("Also considered")).to_have_count(0)
