"""The server over streamable HTTP: a read token is required, and counted."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import timedelta

import httpx2
import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from api.models import Scope
from api.services import create_token, revoke_token
from api.throttles import TokenOrAddressThrottle
from assistant.http import http_app
from assistant.server import build_server
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:8765/mcp"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
ACCEPT = {"accept": "application/json, text/event-stream"}


@asynccontextmanager
async def http_client(headers: dict[str, str]):
    """An HTTP client wired to the app in memory, with the app running."""
    app = http_app(build_server(), host="127.0.0.1")
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app),
            base_url="http://127.0.0.1:8765",
            headers=headers,
        ) as client,
    ):
        yield client


def post(headers: dict[str, str]):
    async def go():
        async with http_client({**ACCEPT, **headers}) as client:
            return await client.post("/mcp", json=INITIALIZE)

    return async_to_sync(go)()


def token(member, scopes=(Scope.READ,), **fields):
    return create_token(user=member, name="assistant", scopes=scopes, **fields)


def test_no_token_is_401_with_a_challenge(db):
    """Without a token the transport is never reached."""
    response = post({})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "personal access token" in response.json()["error"]
    assert "/settings/tokens/" in response.json()["error"]


def test_read_token_lists_and_calls_tools(member):
    """With a read token an MCP client works end to end over HTTP."""
    make_tool(name="PostgreSQL", slug="postgresql")
    _, secret = token(member)

    async def go():
        async with (
            http_client({"authorization": f"Bearer {secret}"}) as http,
            Client(streamable_http_client(URL, http_client=http)) as client,
        ):
            tools = await client.list_tools()
            result = await client.call_tool("get_tool", {"slug": "postgresql"})
            return tools.tools, result

    tools, result = async_to_sync(go)()
    assert "search_tools" in {tool.name for tool in tools}
    assert not result.is_error
    assert result.structured_content["name"] == "PostgreSQL"


@pytest.mark.parametrize(
    ("how", "status", "message"),
    [
        ("revoked", 401, "unknown, revoked or expired"),
        ("expired", 401, "unknown, revoked or expired"),
        ("unknown", 401, "unknown, revoked or expired"),
        ("malformed", 401, "Authorization: Bearer"),
        ("write-only", 403, "lacks the “read” scope"),
    ],
)
def test_bad_tokens_are_refused(member, how, status, message):
    """Revoked, expired, unknown or wrongly sent tokens, and tokens without
    the read scope, are refused before the transport."""
    scopes = (Scope.STACKS_WRITE,) if how == "write-only" else (Scope.READ,)
    found, secret = token(member, scopes=scopes)
    header = f"Bearer {secret}"
    if how == "revoked":
        revoke_token(token=found)
    elif how == "expired":
        type(found).objects.filter(pk=found.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    elif how == "unknown":
        header = "Bearer ssk_" + "x" * 43
    elif how == "malformed":
        header = secret
    response = post({"authorization": header})
    assert response.status_code == status
    assert message in response.json()["error"]


def test_calls_are_throttled_like_the_api(member, monkeypatch):
    """Past the API's rate for a token, the answer is 429 with Retry-After."""
    monkeypatch.setattr(
        TokenOrAddressThrottle, "THROTTLE_RATES", {"api": "2/min", "api_token": "2/min"}
    )
    _, secret = token(member)
    statuses = [post({"authorization": f"Bearer {secret}"}) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert int(statuses[-1].headers["retry-after"]) > 0
