from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

PASSWORD = "a long and lovely passphrase"


@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_log_in_edit_profile(page, live_server):
    """A newcomer signs up, confirms from the e-mail, logs in, edits and views their profile."""
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("lin@example.com")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(
        page.get_by_role("heading", name=re.compile("Verify Your Email", re.I))
    ).to_be_visible()

    (message,) = mail.outbox
    link = re.search(
        r"https?://\S+/accounts/confirm-email/\S+/", str(message.body)
    ).group(0)
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    page.get_by_label(re.compile("Username or Email|Email or Username", re.I)).fill(
        "lin@example.com"
    )
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.locator(".site-header")).to_contain_text("lin")

    page.goto("/users/lin/edit/")
    page.get_by_label("Display name").fill("Lin Chen")
    page.get_by_label("Job title").fill("Platform Engineer")
    page.get_by_label("Company name").fill("Parcelwise")
    page.get_by_label("Bio").fill("Keeps the deploys boring.")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile("/users/lin/$"))
    expect(page.get_by_role("heading", name="Lin Chen")).to_be_visible()
    expect(page.get_by_text("Platform Engineer at Parcelwise")).to_be_visible()
    expect(page.get_by_text("Keeps the deploys boring.")).to_be_visible()
    assert User.objects.get(username="lin").display_name == "Lin Chen"
