from __future__ import annotations

import pytest
from django.db import connection

from tools.models import Tool
from tools.tests.factories import make_alias, make_tool


@pytest.fixture
def catalog(db):
    function = make_tool(
        name="Flask", description="A small Python web framework."
    ).function
    make_tool(
        name="Django", tagline="Python web framework with batteries", function=function
    )
    make_tool(
        name="PostgreSQL",
        tagline="Relational database",
        description="Transactions, SQL and extensions.",
    )
    make_tool(name="React", tagline="Components for user interfaces")
    angular = make_tool(name="Angular", tagline="A framework for single-page apps")
    make_alias(tool=angular, package="npm:@angular/core")
    make_tool(name="Hidden Gem", status="pending")


def names(query: str) -> list[str]:
    return list(Tool.objects.approved().search(query).values_list("name", flat=True))


def test_exact_name_comes_first(catalog):
    assert names("django")[0] == "Django"


def test_name_prefix_finds_the_tool(catalog):
    assert names("postg")[0] == "PostgreSQL"


def test_tagline_and_description_are_searched(catalog):
    """A word of the tagline finds the tool, below a name match."""
    assert "Django" in names("batteries")
    assert "React" in names("interfaces")


def test_alias_package_name_finds_the_tool(catalog):
    """Searching an npm package name finds the tool it belongs to."""
    assert names("@angular/core") == ["Angular"]


def test_pending_tools_are_not_found(catalog):
    assert names("Hidden Gem") == []


def test_empty_and_huge_queries_are_safe(catalog):
    assert names("   ") == []
    assert isinstance(names("x" * 5000), list)


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("postgress", "PostgreSQL"), ("reakt", "React"), ("flsk", "Flask")],
)
def test_typos_still_find_the_tool_on_postgresql(catalog, typo, expected):
    """Trigram similarity forgives a typo (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("typo tolerance needs pg_trgm")
    assert names(typo)[0] == expected


def test_autocomplete_prefers_prefixes(catalog, django_assert_num_queries):
    """Autocomplete answers in one query, names that start with the text first."""
    with django_assert_num_queries(1):
        found = list(
            Tool.objects.approved()
            .autocomplete("re")
            .values_list("name", flat=True)[:8]
        )
    assert found[0] == "React"
