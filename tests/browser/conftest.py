"""Playwright against live_server, with Debian's Chromium.

`playwright install` cannot download browsers here, so the system Chromium
at CHROMIUM_PATH is launched instead.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make alongside it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []

    def note_error(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", note_error)
    yield page
    context.close()
    # A Content-Security-Policy violation shows up as a console error.
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.fixture
def sign_in(live_server):
    """Put a member's session cookie into a page, as if they had logged in.

    With mfa=True the session is a real password-and-code login, as staff
    and moderators need for the back office.
    """
    from django.conf import settings
    from django.test import Client

    from accounts.tests.factories import sign_in_with_mfa

    def sign_in(page, user, *, mfa=False):
        client = Client()
        if mfa:
            sign_in_with_mfa(client, user)
        else:
            client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in
