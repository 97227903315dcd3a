"""The server under test, with a scan root of its own."""

from __future__ import annotations

import pytest

from assistant.server import build_server
from assistant.tests.session import Session


@pytest.fixture
def mcp(tmp_path) -> Session:
    """The server, allowed to scan below the test's temporary folder."""
    return Session(build_server(scan_roots=[tmp_path]))
