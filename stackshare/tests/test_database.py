from __future__ import annotations

import pytest
from django.db import connection

from tools.tests.factories import make_tool


@pytest.mark.django_db
def test_postgresql_plans_a_query_the_connection_repeats_once(client):
    """Planning cost PostgreSQL more than running a page's short queries:
    a query the connection keeps running is prepared on the server, its
    values bound apart from its text, so it is not planned afresh each time."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite plans in-process; this is PostgreSQL's setting")
    tools = [make_tool(name=name) for name in ("Alpha", "Beta", "Gamma")]
    for tool in tools:
        assert client.get(tool.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    # The tool looked up by its address: one statement for all three slugs.
    by_slug = [
        statement
        for statement in prepared
        if statement.startswith('SELECT "tools_tool"."id"')
        and '"tools_tool"."slug" = $' in statement
    ]
    assert len(by_slug) == 1
