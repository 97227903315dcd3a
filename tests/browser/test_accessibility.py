"""Every main page, signed out and signed in: checked by axe in Chromium in
light and dark, laid out for a 375 px phone without sideways scrolling, and
valid HTML by the Nu HTML checker.

The pages are those of the demo community (`make run`'s data), so what is
checked is what a newcomer sees. axe-core and the checker (vnu-jar, which
runs on Java) come from the npm registry (`package.json`); `make test`
installs them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from changes.models import Move, RadarEntry, migration_url
from decisions.models import Decision
from stacks.models import Company, Stack
from stackups.models import Stackup
from tools.models import Category

pytestmark = pytest.mark.django_db(transaction=True)

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE = NODE_MODULES / "axe-core/axe.min.js"
VNU = NODE_MODULES / "vnu-jar/build/dist/vnu.jar"
PHONE = {"width": 375, "height": 812}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def demo_site():
    """The catalog and the demo community; the addresses of the main pages."""
    call_command("load_catalog", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    stackup = Stackup.objects.order_by("-view_count").first()
    move = Move.objects.select_related("from_tool", "to_tool").first()
    ringed = RadarEntry.objects.select_related("item__stack__company").first()
    largest = Stack.objects.order_by("-item_count").first()
    return {
        "home": "/",
        "tools": "/tools/",
        "category": Category.objects.filter(parent=None).first().get_absolute_url(),
        "tool": "/tools/postgresql/",
        "search": "/search/?q=postgres",
        "search, all tools": "/search/tools/?q=data",
        "search, nothing found": "/search/?q=postgrey+sequel",
        "stackup": stackup.get_absolute_url(),
        "companies": "/companies/",
        "company": Company.objects.order_by("-tool_count").first().get_absolute_url(),
        "stacks": "/stacks/",
        "stack": largest.get_absolute_url(),
        "stack history": reverse("stacks:history", args=[largest.slug]),
        "radar": f"/companies/{ringed.item.stack.company.slug}/radar/",
        "migration": migration_url(move.from_tool.slug, move.to_tool.slug),
        "decisions": "/decisions/",
        "decision": Decision.objects.order_by("-view_count").first().get_absolute_url(),
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


def html_errors(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """The Nu HTML checker's errors for each page, but for htmx's ``hx-*``
    attributes, which it does not know."""
    files = {}
    for n, (name, html) in enumerate(pages.items()):
        files[str(folder / f"page-{n}.html")] = name
        (folder / f"page-{n}.html").write_text(html)
    java = shutil.which("java")
    assert java, "the Nu HTML checker runs on Java"
    checked = subprocess.run(  # noqa: S603 - a fixed command on our own files
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(checked.stderr)["messages"]:
        if "“hx-" in message["message"]:
            continue
        name = files.get(message["url"].removeprefix("file:"), message["url"])
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']}"
        )
    return errors


def test_main_pages_are_accessible_valid_and_fit_a_phone(
    browser, live_server, sign_in, demo_site, tmp_path
):
    """No serious or critical axe violation on any main page, signed out and
    signed in, light and dark; no page wider than a 375 px phone; no HTML
    error. One test, so the demo community is built once; every problem
    found is reported."""
    for tool in (AXE, VNU):
        if not tool.exists():
            pytest.fail(f"{tool} is missing: run `npm ci` (make test does)")
    if shutil.which("java") is None:
        pytest.fail("the Nu HTML checker needs Java (apt-get install default-jre)")
    problems: dict[str, object] = {}
    served: dict[str, str] = {}
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
            # The HTML as served, before any script has changed it.
            served[f"{name} {address}, {who}, HTML"] = page.request.get(address).text()
        context.close()
    problems.update(html_errors(served, tmp_path))
    assert not problems, json.dumps(problems, indent=2)
