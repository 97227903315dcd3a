"""Driving the MCP server through the SDK's own client, in memory.

The tests are plain synchronous functions: each call enters the event loop
with ``async_to_sync``, so the server's ``sync_to_async`` answers run back on
the test's thread, inside its transaction, where the query counters see them.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from mcp import Client
from mcp.types import CallToolResult


class Session:
    def __init__(self, server: Any) -> None:
        self.server = server

    def call(self, name: str, **arguments: Any) -> CallToolResult:
        async def go() -> CallToolResult:
            async with Client(self.server) as client:
                return await client.call_tool(name, arguments)

        return async_to_sync(go)()

    def answer(self, name: str, **arguments: Any) -> dict[str, Any]:
        """The structured answer of a call that must succeed."""
        result = self.call(name, **arguments)
        assert not result.is_error, result.content
        answer: dict[str, Any] = result.structured_content
        return answer

    def error(self, name: str, **arguments: Any) -> str:
        """The message of a call that must fail as a tool error."""
        result = self.call(name, **arguments)
        assert result.is_error, result.structured_content
        assert "Traceback" not in result.content[0].text
        return result.content[0].text

    def list_tools(self) -> list[Any]:
        async def go() -> list[Any]:
            async with Client(self.server) as client:
                return (await client.list_tools()).tools

        return async_to_sync(go)()
