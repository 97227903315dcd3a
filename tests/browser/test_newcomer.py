"""A newcomer's first steps as `make run` serves them, in a real browser."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

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
    assert User.objects.get(username="lin").emailaddress_set.get().verified
