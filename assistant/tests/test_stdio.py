"""``manage.py mcp_server`` over stdio, as a desktop assistant starts it."""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from mcp import Client, StdioServerParameters

from assistant.tests.factories import make_catalog

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_stdio_server_answers_from_the_database(tmp_path):
    """The command starts, lists its tools and answers from the database;
    a bad argument is a tool error, and the process exits when the client
    goes."""
    if connection.vendor != "sqlite":
        pytest.skip("the subprocess reads a copy of the SQLite test database")
    make_catalog()
    # The test database lives in memory; the server process reads a copy.
    copy = tmp_path / "db.sqlite3"
    with sqlite3.connect(copy) as target:
        connection.ensure_connection()
        connection.connection.backup(target)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("psycopg\n")
    server = StdioServerParameters(
        command=sys.executable,
        args=["manage.py", "mcp_server", "--scan-root", str(tmp_path)],
        cwd=str(settings.BASE_DIR),
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{copy}",
            "DJANGO_SITE_URL": "https://stackshare.example",
            "DJANGO_ALLOW_DEVELOPMENT_KEY": "1",
        },
    )

    async def session():
        async with Client(server, read_timeout_seconds=60) as client:
            tools = (await client.list_tools()).tools
            found = await client.call_tool("search_tools", {"query": "postgres"})
            compared = await client.call_tool(
                "compare_tools", {"slugs": ["postgresql", "mysql"]}
            )
            scanned = await client.call_tool("scan_repository", {"path": str(repo)})
            refused = await client.call_tool("get_tool", {"slug": "nope"})
            return tools, found, compared, scanned, refused

    tools, found, compared, scanned, refused = async_to_sync(session)()
    assert len(tools) == 8
    assert found.structured_content["tools"][0]["url"] == (
        "https://stackshare.example/tools/postgresql/"
    )
    assert compared.structured_content["title"] == "MySQL vs PostgreSQL"
    assert [f["tool"]["slug"] for f in scanned.structured_content["tools"]] == [
        "postgresql"
    ]
    assert refused.is_error
    assert "No tool in the catalog" in refused.content[0].text
