"""The assistant's management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assistant.tests.factories import make_catalog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--http", "nonsense"], "--http takes HOST:PORT"),
        (["--http", "127.0.0.1:port"], "--http takes HOST:PORT"),
        (["--scan-root", "/no/such/folder"], "is not a folder"),
    ],
)
def test_mcp_server_refuses_bad_options(arguments, message):
    """Mistakes in the options stop the command before it serves."""
    with pytest.raises(CommandError, match=message):
        call_command("mcp_server", *arguments)


@pytest.mark.slow
def test_bench_mcp_times_every_tool_against_its_page(settings, tmp_path):
    """One line per tool, with the call's and the page's median and queries."""
    make_catalog()
    (tmp_path / "requirements.txt").write_text("psycopg\n")
    out = StringIO()
    call_command("bench_mcp", "--repeat", "1", "--scan", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:3] == ["tool", "call", "ms"]
    assert [line.split()[0] for line in lines[1:]] == [
        "search_tools",
        "get_tool",
        "compare_tools",
        "companies_using",
        "decisions_about",
        "migrations_from",
        "scan_repository",
    ]
    assert "/stackups/mysql-vs-postgresql/" in lines[3]
    assert "/migrations/" in lines[6]
    assert "(no page)" in lines[7]
