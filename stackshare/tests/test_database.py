from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from accounts.tests.factories import make_member
from tools.tests.factories import make_tool


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite plans in-process; this is PostgreSQL's setting")


@pytest.mark.django_db
@pytest.mark.usefixtures("postgresql")
def test_a_tool_pages_queries_are_planned_once_for_every_tool(client):
    """Planning cost PostgreSQL more than running a tool page's short
    queries: the connection prepares them, their values bound apart."""
    for name in ("Alpha", "Beta", "Gamma"):
        assert client.get(make_tool(name=name).get_absolute_url()).status_code == 200
    by_slug = [
        statement
        for statement in prepared_statements()
        if statement.startswith('SELECT "tools_tool"."id"')
        and '"tools_tool"."slug" = $' in statement
    ]
    assert len(by_slug) == 1  # one statement for the three slugs


@pytest.mark.django_db
@pytest.mark.usefixtures("postgresql")
def test_a_search_is_planned_for_the_words_searched(client):
    """A plan kept for any word walked every member in name order looking
    for five that matched; a search is planned for its words each time,
    also on a connection a tool page (whose queries are prepared) used."""
    make_member(username="kubernetes-fan")
    assert client.get(make_tool(name="Alpha").get_absolute_url()).status_code == 200
    for query in ("kube", "postgres", "redis", "kafka", "vue"):
        assert client.get(reverse("search:results"), {"q": query}).status_code == 200
    assert not [
        statement
        for statement in prepared_statements()
        if 'FROM "accounts_user"' in statement and "LIKE" in statement
    ]
