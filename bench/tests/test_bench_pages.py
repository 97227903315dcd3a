"""bench_pages: the page list, the reader's session and the query counts."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_pages_are_resolved_counted_and_built_from_the_data(tmp_path):
    """Every page gets an address from the data, a status and its query count."""
    call_command(
        "generate_bench_data", "--scale", "0.002", stdout=StringIO(), verbosity=0
    )
    output = tmp_path / "pages.json"
    call_command("bench_pages", "--output", str(output), stdout=StringIO())
    plan = json.loads(output.read_text())

    pages = {page["name"]: page for page in plan["pages"]}
    assert {"home", "catalog (filtered, sorted)", "category", "tool", "search"} <= set(
        pages
    )
    assert pages["tool"]["status"] == 200
    assert pages["tool"]["path"].startswith("/tools/")
    assert pages["tool signed-in"]["signed_in"]
    assert pages["tool signed-in"]["queries"] > 0
    assert all("signed-in" in name for name, page in pages.items() if page["signed_in"])
    # So few stackups hold no four-tool comparison, and so few stacks may
    # hold no move between two tools.
    assert {note["name"] for note in plan["skipped"]} <= {
        "stackup (4 tools)",
        "migration",
    }
    assert pages["company"]["path"].startswith("/companies/")
    assert pages["decision"]["path"].startswith("/decisions/")
    assert pages["stackup (2 tools)"]["path"].count("-vs-") == 1
    if "stackup (4 tools)" in pages:
        assert pages["stackup (4 tools)"]["path"].count("-vs-") == 3
    if "migration" in pages:
        assert pages["migration"]["path"].startswith("/migrations/")
    for name in ["company", "decision", "company radar", "personal feed signed-in"]:
        assert pages[name]["status"] == 200, name
    # The API's bench pages answer from the same data.
    assert pages["api tool"]["path"].startswith("/api/v1/tools/")
    assert pages["api tools (filtered, sorted)"]["path"].startswith("/api/v1/tools/?")
    for name in ["api tool", "api tools (filtered, sorted)"]:
        assert pages[name]["status"] == 200, name
    # Search's budgets at any scale: the tools' ranking (keys, text, typo
    # candidates, the tools shown), then companies, stackups and decisions
    # (the newest titled and tagged) with what they show, and members;
    # autocomplete on two letters asks the keys and the tools shown only.
    assert pages["search"]["status"] == 200
    assert pages["search"]["queries"] <= 12
    assert pages["autocomplete"]["status"] == 200
    assert pages["autocomplete"]["queries"] == 2
    cookies = dict(part.split("=", 1) for part in plan["cookie"].split("; "))
    assert Session.objects.filter(session_key=cookies["sessionid"]).exists()
    # Without the CSRF cookie no member's copy could ever be kept.
    assert cookies["csrftoken"]


@pytest.mark.django_db
def test_bench_pages_needs_bench_data():
    with pytest.raises(CommandError, match="generate_bench_data"):
        call_command("bench_pages", stdout=StringIO())
