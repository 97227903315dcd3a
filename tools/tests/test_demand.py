"""Demand: packages scans could not match, counted exactly, and turned into catalog entries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

import scanner
from accounts.tests.factories import make_member, sign_in_with_mfa
from stacks.services import preview_import
from stacks.tests.factories import make_stack
from tools.models import Alias, ToolStatus, UnknownPackage
from tools.services import record_unknown_packages
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


def counts():
    return {str(p): (p.stack_count, p.scan_count) for p in UnknownPackage.objects.all()}


def test_scanning_the_same_stack_again_counts_a_scan_not_a_stack():
    first, second = make_stack(), make_stack()
    record_unknown_packages([("pypi", "Left_Pad"), ("npm", "is-odd")], stack=first)
    record_unknown_packages([("pypi", "left-pad")], stack=first)
    record_unknown_packages([("pypi", "LEFT.PAD")], stack=second)
    record_unknown_packages([("pypi", "left-pad")], stack=None)
    assert counts() == {"pypi:Left_Pad": (2, 4), "npm:is-odd": (1, 1)}


def test_counting_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    stack = make_stack()
    many = [("npm", f"package-{i}") for i in range(300)]
    with django_assert_max_num_queries(8):
        record_unknown_packages(many, stack=stack)
    with django_assert_max_num_queries(8):
        record_unknown_packages(many, stack=stack)
    assert UnknownPackage.objects.filter(scan_count=2, stack_count=1).count() == 300


def test_only_unmatched_registry_packages_are_counted():
    tool = make_tool(name="Flask")
    Alias.objects.create(tool=tool, ecosystem="pypi", name="flask")
    preview_import(
        [
            scanner.Package("pypi", "flask"),
            scanner.Package("pypi", "not-yet-known"),
            scanner.Package("techstack", "Some Tool"),
            scanner.Package("tool", "no-such-slug"),
        ],
        stack=make_stack(),
    )
    assert counts() == {"pypi:not-yet-known": (1, 1)}


@pytest.fixture
def moderator_client(client):
    return sign_in_with_mfa(Client(), make_member(username="mod", moderator=True))


def run_action(client, action, package, **fields):
    return client.post(
        reverse("admin:tools_unknownpackage_changelist"),
        {
            "action": action,
            "_selected_action": [package.pk],
            "index": "0",
            "confirm": "yes",
            **fields,
        },
        follow=True,
    )


def test_moderators_see_the_most_wanted_first(moderator_client):
    record_unknown_packages([("pypi", "rare")], stack=make_stack())
    for _ in range(3):
        record_unknown_packages([("pypi", "wanted")], stack=make_stack())
    page = moderator_client.get(reverse("admin:tools_unknownpackage_changelist"))
    text = page.content.decode()
    assert text.index("wanted") < text.index("rare")


def test_a_moderator_makes_a_tool_from_an_unknown_package(moderator_client):
    record_unknown_packages([("cargo", "ratatui")], stack=make_stack())
    package = UnknownPackage.objects.get()
    function = make_category(name="Terminal UI")
    form = moderator_client.post(
        reverse("admin:tools_unknownpackage_changelist"),
        {"action": "create_tool", "_selected_action": [package.pk], "index": "0"},
    )
    page = form.content.decode()
    assert 'value="ratatui"' in page  # pre-filled name
    assert "https://crates.io/crates/ratatui" in page  # and where to read about it
    response = run_action(
        moderator_client,
        "create_tool",
        package,
        name="Ratatui",
        function=function.pk,
        website="https://ratatui.rs/",
    )
    assert "Created Ratatui (pending)" in response.content.decode()
    alias = Alias.objects.get(ecosystem="cargo", name="ratatui")
    assert alias.tool.status == ToolStatus.PENDING
    assert alias.tool.function == function
    package.refresh_from_db()
    assert package.resolved_tool == alias.tool


def test_a_moderator_makes_an_unknown_package_an_alias(moderator_client):
    tool = make_tool(name="PostgreSQL driver", slug="pg-driver")
    record_unknown_packages([("pypi", "psycopg3-binary")], stack=make_stack())
    package = UnknownPackage.objects.get()
    refused = run_action(moderator_client, "make_alias", package, tool="nope")
    assert "No approved tool has this slug." in refused.content.decode()
    response = run_action(moderator_client, "make_alias", package, tool="pg-driver")
    assert "1 alias added to PostgreSQL driver." in response.content.decode()
    assert Alias.objects.get(ecosystem="pypi", name="psycopg3-binary").tool == tool
    # The next scan matches it, so it is not counted as unknown again.
    detected = preview_import([scanner.Package("pypi", "psycopg3-binary")], stack=None)
    assert [c.tool for c in detected.matched] == [tool]
