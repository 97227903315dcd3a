"""The server over streamable HTTP, for a shared deployment.

Every request needs a personal access token with the ``read`` scope, checked
by the API's own authentication (``api.auth``: looked up in the database each
time, so a revoked or expired token fails at once), and is counted by the
API's throttle (``api.throttles``) in the shared cache: a token's calls to
the API and to this server spend the same budget.
"""

from __future__ import annotations

import io
import json
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.urls import reverse
from mcp.server.mcpserver import MCPServer
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import TokenAuthentication
from api.models import Scope as TokenScope
from api.throttles import TokenOrAddressThrottle

PATH = "/mcp"


def api_request(scope: Scope) -> Request:
    """The request as the API's authentication and throttle read it: Django
    builds it from the ASGI scope (headers, client address) as it does for
    the site; the body stays with the MCP transport."""
    return Request(ASGIRequest(scope, io.BytesIO()))


def tokens_page() -> str:
    return settings.SITE_URL + reverse("api_pages:tokens")


def admit(request: Request) -> tuple[int, str, dict[str, str]] | None:
    """None when the caller may go on, else the refusal: status, message and
    extra headers."""
    challenge = {"www-authenticate": 'Bearer realm="mcp"'}
    if "authorization" not in request.headers:
        return (
            401,
            "This server needs a personal access token with the “read” scope "
            f"(Authorization: Bearer <token>); create one at {tokens_page()}.",
            challenge,
        )
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed as failure:
        return 401, str(failure.detail), challenge
    assert found is not None  # noqa: S101 - a header was sent
    _user, token = found
    if not token.allows(TokenScope.READ):
        return 403, "This token lacks the “read” scope.", {}
    request.auth = token
    throttle = TokenOrAddressThrottle()
    if not throttle.allow_request(request, None):  # type: ignore[arg-type]  # it reads the request alone; there is no DRF view here
        wait = throttle.wait() or 1
        return (
            429,
            f"Too many requests; try again in {int(wait) + 1} seconds.",
            {"retry-after": str(int(wait) + 1)},
        )
    return None


class TokenGate:
    """ASGI middleware: refuse a request before the MCP transport sees it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = await sync_to_async(admit, thread_sensitive=True)(api_request(scope))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, message, headers = refusal
        body = json.dumps({"error": message}, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *((k.encode(), v.encode()) for k, v in headers.items()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def http_app(server: MCPServer, *, host: str, **options: Any) -> Starlette:
    """The server's streamable HTTP app behind the token gate.

    Stateless: each request stands alone, so any number of processes may
    serve it behind a load balancer.
    """
    app = server.streamable_http_app(
        streamable_http_path=PATH,
        stateless_http=True,
        json_response=True,
        host=host,
        **options,
    )
    app.add_middleware(TokenGate)
    return app
