"""Fixtures of the stacks app's page tests: a category tree, a company, its stack."""

from __future__ import annotations

import pytest

from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_category, make_tool


@pytest.fixture
def tree():
    layer = make_category(name="Application & Data", level=1)
    group = make_category(name="Databases", parent=layer)
    return {
        "sql": make_category(name="Relational Databases", parent=group),
        "cache": make_category(name="In-Memory Databases", parent=group),
    }


@pytest.fixture
def acme(member):
    return make_company(
        name="Acme Rockets", owner=member, industry="software", size="11-50"
    )


@pytest.fixture
def stack(acme, tree):
    return make_stack(
        company=acme,
        name="Main product",
        tools=[make_tool(name="PostgreSQL", function=tree["sql"])],
    )


@pytest.fixture
def _no_pause_after_imports(monkeypatch):
    """A test's first import may compile templates for a while: not a long import."""
    from stacks.views import imports as views

    monkeypatch.setattr(views, "IMPORT_PAUSE_AFTER", 60)
