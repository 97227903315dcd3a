"""Every main page, signed out and signed in, light and dark, checked by axe
in Chromium, and laid out for a 375 px phone without sideways scrolling.

The pages are those of the demo community (`make run`'s data), so what is
checked is what a newcomer sees. axe-core comes from the npm registry
(`package.json`); `make test` installs it.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from decisions.models import Decision
from stacks.models import Company, Stack
from stackups.models import Stackup
from tools.models import Category

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
PHONE = {"width": 375, "height": 812}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo_site():
    """The catalog and the demo community; the addresses of the main pages."""
    call_command("load_catalog", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    stackup = Stackup.objects.order_by("-view_count").first()
    return {
        "home": "/",
        "tools": "/tools/",
        "category": Category.objects.filter(parent=None).first().get_absolute_url(),
        "tool": "/tools/postgresql/",
        "search": "/search/?q=postgres",
        "stackup": stackup.get_absolute_url(),
        "companies": "/companies/",
        "company": Company.objects.order_by("-tool_count").first().get_absolute_url(),
        "stacks": "/stacks/",
        "stack": Stack.objects.order_by("-item_count").first().get_absolute_url(),
        "decisions": "/decisions/",
        "decision": Decision.objects.order_by("-view_count")
        .first()
        .get_absolute_url(),
        "profile": "/users/nadia/",
        "feed": "/feed/",
        "log in": "/accounts/login/",
        "sign up": "/accounts/signup/",
    }


def axe_violations(page) -> list[str]:
    """The serious and critical violations axe finds on the page, readable."""
    if "axe" not in page.evaluate("Object.keys(window)"):
        # Evaluated through the DevTools protocol, so the page's CSP, which
        # refuses inline and injected scripts, does not apply.
        page.evaluate(AXE.read_text())
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in json.loads(result)["violations"]
        if violation["impact"] in BLOCKING
    ]


def test_main_pages_pass_axe_and_fit_a_phone(browser, live_server, sign_in, demo_site):
    """No serious or critical axe violation on any main page, signed out and
    signed in, light and dark; no page wider than a 375 px phone. One test,
    so the demo community is built once; every problem found is reported."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    problems: dict[str, object] = {}
    for signed_in in (False, True):
        who = "signed in" if signed_in else "signed out"
        for scheme in ("light", "dark"):
            context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
            page = context.new_page()
            if signed_in:
                sign_in(page, User.objects.get(username="nadia"))
            for name, address in demo_site.items():
                page.goto(address)
                if violations := axe_violations(page):
                    problems[f"{name} {address}, {who}, {scheme}"] = violations
            context.close()

        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        if signed_in:
            sign_in(page, User.objects.get(username="nadia"))
        for name, address in demo_site.items():
            page.goto(address)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems[f"{name} {address}, {who}, 375 px"] = f"{width} px wide"
        context.close()
    assert not problems, json.dumps(problems, indent=2)
