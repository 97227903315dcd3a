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


@pytest.mark.django_db(transaction=True)
def test_a_new_password_signs_the_members_other_browser_out(
    browser, live_server, settings
):
    """With pages and the signed-in member kept in the cache (as in
    production), a member signed in on two browsers changes their password
    on one: the other is signed out at its next page, the first stays in."""
    from accounts.tests.factories import make_member
    from tools.tests.factories import make_tool

    settings.PAGE_CACHE_SECONDS = 300
    make_member(username="lin", password=PASSWORD)
    tool = make_tool(name="PostgreSQL")
    pages = []
    for _ in range(2):
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.get_by_label(re.compile("Username or Email", re.I)).fill("lin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In", exact=True).click()
        expect(page.locator(".site-header")).to_contain_text("lin")
        pages.append(page)
    laptop, phone = pages
    for _ in range(2):  # the second read is the member's kept copy
        laptop.goto(tool.get_absolute_url())
    expect(laptop.locator(".site-header")).to_contain_text("lin")

    phone.goto("/accounts/password/change/")
    phone.get_by_label("Current Password").fill(PASSWORD)
    phone.get_by_label("New Password", exact=True).fill("another lovely passphrase")
    phone.get_by_label(re.compile("New Password \\(again\\)")).fill(
        "another lovely passphrase"
    )
    phone.get_by_role("button", name="Change Password").click()
    expect(
        phone.get_by_text(re.compile("Password successfully changed"))
    ).to_be_visible()

    laptop.goto(tool.get_absolute_url())
    expect(laptop.locator(".site-header")).to_contain_text("Log in")
    phone.goto(tool.get_absolute_url())
    expect(phone.locator(".site-header")).to_contain_text("lin")
    for page in pages:
        page.context.close()
