"""Matching scanned packages to catalog tools, and the import_stack command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import scanner
from stacks.detection import match_packages
from stacks.models import Provenance, Stack, StackItem
from stacks.tests.factories import make_company, make_stack
from tools.models import Tool
from tools.tests.factories import make_alias, make_category, make_tool

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.django_db


def package(ecosystem, name, **fields):
    return scanner.Package(ecosystem, name, file=fields.pop("file", "x"), **fields)


def test_names_are_compared_the_way_each_registry_does():
    """PyPI ignores case and separators, Docker tags and registries, Cargo - and _."""
    django = make_tool(name="Django")
    make_alias(tool=django, package="pypi:django")
    pg = make_tool(name="PostgreSQL")
    make_alias(tool=pg, package="docker:postgres")
    make_alias(tool=pg, package="gomod:github.com/jackc/pgx/v5")
    diesel = make_tool(name="Diesel")
    make_alias(tool=diesel, package="cargo:diesel_migrations")
    result = match_packages(
        [
            package("pypi", "Django"),
            package("docker", "postgres"),
            package("cargo", "diesel-migrations"),
            package("gomod", "github.com/jackc/pgx/v5"),
            package("npm", "left-pad"),
        ]
    )
    assert [c.tool.name for c in result.matched] == ["Diesel", "Django", "PostgreSQL"]
    assert [p.name for p in result.unknown] == ["left-pad"]


def test_tools_already_in_the_stack_are_set_apart():
    flask, redis = make_tool(name="Flask"), make_tool(name="Redis")
    make_alias(tool=flask, package="pypi:flask")
    make_alias(tool=redis, package="pypi:redis")
    stack = make_stack(tools=[flask])
    result = match_packages(
        [package("pypi", "flask"), package("pypi", "redis")], stack=stack
    )
    assert [c.tool for c in result.present] == [flask]
    assert [c.tool for c in result.matched] == [redis]


def test_pending_tools_are_not_matched():
    tool = make_tool(name="Secret", status="pending")
    make_alias(tool=tool, package="npm:secret")
    assert not match_packages([package("npm", "secret")]).matched


def test_techstack_entries_match_by_name_then_website():
    make_tool(name="React", website="https://react.dev/")
    make_tool(name="Sentry", website="https://sentry.io/")
    result = match_packages(
        [
            package("techstack", "react"),
            package(
                "techstack", "Sentry.io", website="https://www.sentry.io/for/python"
            ),
            package("techstack", "GitHub", website="https://github.com/"),
        ]
    )
    assert [c.tool.name for c in result.matched] == ["React", "Sentry"]
    assert [p.name for p in result.unknown] == ["GitHub"]


def test_matching_costs_a_fixed_number_of_queries(django_assert_num_queries):
    tools = [make_tool() for _ in range(10)]
    for tool in tools:
        make_alias(tool=tool, package=f"npm:{tool.slug}")
    stack = make_stack(tools=tools[:3])
    packages = [package("npm", t.slug) for t in tools] + [
        package("techstack", "Whatever")
    ]
    with django_assert_num_queries(3):  # aliases, techstack names, stack's tools
        match_packages(packages, stack=stack)


def test_sample_repositories_match_most_of_their_stack():
    """On the real catalog, at least 75% of the sample projects' packages match a tool.

    The rate is over distinct packages of four realistic repositories
    (Django SaaS, Next.js shop, Go service, Rails app), dev tools included.
    """
    call_command("load_catalog", stdout=StringIO())
    total = matched = 0
    for sample in sorted(SAMPLES.iterdir()):
        result = scanner.scan(sample)
        detected = match_packages(result.packages)
        keys = {(p.ecosystem, p.name.lower()) for p in result.packages}
        hits = {
            (p.ecosystem, p.name.lower()) for c in detected.matched for p in c.packages
        }
        assert not result.warnings, result.warnings
        total += len(keys)
        matched += len(hits)
    rate = matched / total
    print(f"alias match rate: {matched}/{total} = {rate:.0%}")  # noqa: T201
    assert rate >= 0.75


def test_import_stack_command(member):
    company = make_company(name="Ledgerline", owner=member)
    gin = make_tool(name="Gin")
    make_alias(tool=gin, package="gomod:github.com/gin-gonic/gin")
    redis = make_tool(name="Redis")
    make_alias(tool=redis, package="docker:redis")
    out = StringIO()
    call_command(
        "import_stack",
        str(SAMPLES / "go-payments"),
        company="ledgerline",
        stack="Payments",
        dry_run=True,
        stdout=out,
    )
    assert "matched  gin  (go.mod:6, runtime dependency)" in out.getvalue()
    assert "unknown  gomod:go.uber.org/zap" in out.getvalue()
    assert not Stack.objects.filter(company=company).exists()

    call_command(
        "import_stack",
        str(SAMPLES / "go-payments"),
        company="ledgerline",
        stack="Payments",
        stdout=StringIO(),
    )
    stack = Stack.objects.get(company=company, name="Payments")
    item = StackItem.objects.get(stack=stack, tool=gin)
    # The file and line of the evidence, as a person would cite it.
    assert (item.source, item.detected_file) == (Provenance.DETECTED, "go.mod:6")
    assert Tool.objects.get(pk=redis.pk).stack_count == 1
    again = StringIO()
    call_command(
        "import_stack",
        str(SAMPLES / "go-payments"),
        company="ledgerline",
        stack="payments",
        stdout=again,
    )
    assert "Added 0 tools" in again.getvalue()
    assert Tool.objects.get(pk=redis.pk).stack_count == 1


def test_import_stack_refuses_unknown_company(tmp_path):
    with pytest.raises(CommandError, match="No company"):
        call_command("import_stack", str(tmp_path), company="nope", stack="x")


def test_runtime_libraries_are_preselected_and_ci_tools_offered():
    """An HTTP client the app depends on is its stack; a CI-only tool is offered unticked."""
    axios = make_tool(name="Axios", function=make_category(name="HTTP Clients"))
    make_alias(tool=axios, package="npm:axios")
    react = make_tool(name="React")
    make_alias(tool=react, package="npm:react")
    codecov = make_tool(name="Codecov")
    make_alias(tool=codecov, package="actions:codecov/codecov-action")
    detected = match_packages(
        [
            package("npm", "axios"),
            package("npm", "react"),
            package("actions", "codecov/codecov-action", kind="ci"),
        ]
    )
    assert sorted(c.tool.slug for c in detected.selected) == ["axios", "react"]
    assert [
        (key, sorted(c.tool.slug for c in found)) for key, _, found in detected.groups
    ] == [
        ("stack", ["axios", "react"]),
        ("ci", ["codecov"]),
    ]


def test_pods_and_swift_packages_match_whatever_their_spelling():
    """A subspec means its pod; a Swift package is its repository, URL or not."""
    firebase = make_tool(name="Firebase")
    make_alias(tool=firebase, package="cocoapods:firebase")
    alamofire = make_tool(name="Alamofire")
    make_alias(tool=alamofire, package="swiftpm:github.com/alamofire/alamofire")
    result = match_packages(
        [
            package("cocoapods", "Firebase/Analytics"),
            package("swiftpm", "https://github.com/Alamofire/Alamofire.git"),
            package("cocoapods", "Unknown/Sub"),
        ]
    )
    assert [c.tool.name for c in result.matched] == ["Alamofire", "Firebase"]
    assert [p.name for p in result.unknown] == ["Unknown/Sub"]
