"""Two-factor authentication in Chromium: authenticator app, recovery codes,
passkeys, and the back office that requires one of them."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from accounts.moderators import MODERATORS_GROUP
from accounts.tests.factories import PASSWORD, make_member, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def current_code(secret: str) -> str:
    """The app's code, waiting out the last seconds of a 30-second period.

    A code typed just as its period ends would be refused, as it would be for
    a person.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return totp_code(secret)


def make_moderator():
    # Transactional tests flush the data migrations' group; build it again.
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="decisions")
    )
    return make_member(username="warden", moderator=True)


def log_in_with_password(page, username: str) -> None:
    page.get_by_label(re.compile("Username or email", re.I)).fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()


def confirm_password(page) -> None:
    """allauth asks for the password again before a second factor is added."""
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def set_up_authenticator_app(page) -> str:
    """From the two-factor page: scan (read) the key, type the code; return the key."""
    page.get_by_role("link", name="Set up").click()
    confirm_password(page)
    expect(
        page.get_by_role("heading", name="Set up an authenticator app")
    ).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    # The QR code is an SVG data URI; the CSP's img-src allows data:, and a
    # blocked image would have no width.
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Turn on").click()
    return str(secret)


def log_out(page) -> None:
    page.locator(".site-header__account summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_member_turns_on_an_authenticator_app_and_logs_in_with_it(page, live_server):
    """Enrol from the account menu, keep the recovery codes, log in with a code."""
    make_member(username="ada", display_name="Ada Lovelace")
    page.goto("/accounts/login/")
    log_in_with_password(page, "ada")
    expect(page.locator(".site-header")).to_contain_text("Ada Lovelace")

    page.locator(".site-header__account summary").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(
        page.get_by_role("heading", name="Two-factor authentication", exact=True)
    ).to_be_visible()
    secret = set_up_authenticator_app(page)

    expect(page.get_by_text("Authenticator app activated.")).to_be_visible()
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Unused recovery codes").locator("code")
    expect(codes).to_have_count(10)
    assert all(re.fullmatch(r"\d{8}", code) for code in codes.all_inner_texts())

    log_out(page)
    page.goto("/accounts/login/")
    log_in_with_password(page, "ada")
    expect(
        page.get_by_role("heading", name="Two-Factor Authentication")
    ).to_be_visible()
    expect(page.locator(".site-header")).not_to_contain_text("Ada Lovelace")
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.locator(".site-header")).to_contain_text("Ada Lovelace")


def test_moderator_without_mfa_enrols_before_the_back_office_opens(page, live_server):
    """/admin/ → site login → "set up two-factor" → code → the back office."""
    moderator = make_moderator()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    log_in_with_password(page, "warden")

    expect(page).to_have_url(re.compile("/accounts/2fa/$"))
    expect(
        page.get_by_text("The back office needs two-factor authentication")
    ).to_be_visible()
    page.goto("/admin/decisions/report/")
    expect(page).to_have_url(re.compile("/accounts/2fa/$"))

    secret = set_up_authenticator_app(page)
    assert Authenticator.objects.filter(user=moderator).count() == 2  # app, codes
    page.get_by_role("link", name="Open the back office").click()

    # Enrolling proves the phone works, not that this sign-in used it: the
    # back office asks for a code once.
    expect(page.get_by_text("before the back office opens")).to_be_visible()
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile("/admin/$"))
    expect(page.get_by_text("stackshare back office").first).to_be_visible()
    page.goto("/admin/decisions/report/")
    expect(page.locator("#content h1")).to_contain_text(re.compile("report", re.I))


def test_moderator_adds_a_passkey_and_signs_in_with_it(page, live_server):
    """A passkey from Chromium's virtual authenticator, then a password-free login.

    The passkey is the second factor too: after signing in with it the
    back office opens without a code.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    moderator = make_moderator()
    page.goto("/admin/")
    log_in_with_password(page, "warden")
    expect(page).to_have_url(re.compile("/accounts/2fa/$"))

    page.get_by_role("link", name="Add").click()
    confirm_password(page)
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Security key added.")).to_be_visible()
    passkey = Authenticator.objects.get(
        user=moderator, type=Authenticator.Type.WEBAUTHN
    )
    assert passkey.wrap().is_passwordless

    log_out(page)
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(re.compile("/admin/$"))
    expect(page.get_by_text("stackshare back office").first).to_be_visible()
