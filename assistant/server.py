"""The Model Context Protocol server: stackshare's catalog as tools an AI
assistant can call.

Every tool is read only and answers from ``assistant.answers``. The SDK
runs the tools on its event loop; the Django ORM is synchronous, so each
answer runs through ``asgiref``'s ``sync_to_async`` in Django's one
thread-sensitive worker (the thread a test's transaction lives in, when a
test drives the server through ``async_to_sync``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection
from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from assistant import answers, schemas

INSTRUCTIONS = """\
stackshare is a catalog of software tools and of the stacks engineering teams
run with them. Ask it which tools exist for a need, what a tool is and what
people like or dislike about it, how tools compare, which companies use them,
what teams decided and why, and which tools teams moved to or away from.
Tools are named by their slug (e.g. "postgresql"); find slugs with
search_tools. Every answer carries the url of the page it comes from: cite it.
"""

READ_ONLY = ToolAnnotations(
    read_only_hint=True, idempotent_hint=True, open_world_hint=False
)

Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A tool's slug, as in its page's address (e.g. postgresql).",
    ),
]


async def run[T](answer: Callable[..., T], /, **arguments: object) -> T:
    """Run a synchronous answer in Django's thread, as a request would."""
    return await sync_to_async(_in_request, thread_sensitive=True)(answer, arguments)


def _in_request[T](answer: Callable[..., T], arguments: dict[str, object]) -> T:
    # Like Django's request signals: a connection that broke or outlived
    # CONN_MAX_AGE is replaced. An open transaction is someone else's (a
    # test's) and is left alone.
    if not connection.in_atomic_block:
        close_old_connections()
    try:
        return answer(**arguments)
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


def build_server(*, scan_roots: list[Path] | None = None) -> MCPServer:
    """The server with every tool; ``scan_repository`` may read only below
    ``scan_roots`` (none: scanning is off)."""
    roots = list(scan_roots or [])
    server = MCPServer(
        name="stackshare",
        title="stackshare",
        instructions=INSTRUCTIONS,
        version="1",
        # On stdio the log goes to stderr; a call's INFO lines are noise there.
        log_level="WARNING",
    )

    @server.tool(annotations=READ_ONLY)
    async def search_tools(
        query: Annotated[
            str,
            Field(
                min_length=1,
                max_length=100,
                description="What to look for: a name, a package, a need "
                "(“postgres”, “pypi:django”, “message queue”).",
            ),
        ],
        limit: Annotated[int, Field(ge=1, le=answers.MAX_SEARCH)] = 10,
    ) -> schemas.SearchAnswer:
        """Find catalog tools by name, package name or words of their
        description, ranked as the site's search ranks them (closest name
        first, then the most used). Returns each tool's slug, what it does,
        its place in the catalog and how many stacks use it."""
        return await run(answers.search_tools, query=query, limit=limit)

    @server.tool(annotations=READ_ONLY)
    async def get_tool(slug: Slug) -> schemas.ToolAnswer:
        """Everything the tool's page says: what it is, its numbers (stacks,
        followers, votes, GitHub stars), the pros and cons members voted
        highest, its alternatives, the tools most often used with it, some
        companies using it, recent decisions about it, the tools teams came
        from or went to, and its successor if it is deprecated."""
        return await run(answers.get_tool, slug=slug)

    @server.tool(annotations=READ_ONLY)
    async def compare_tools(
        slugs: Annotated[
            list[Slug],
            Field(
                min_length=2,
                max_length=4,
                description="Two to four tool slugs.",
            ),
        ],
    ) -> schemas.ComparisonAnswer:
        """Compare two to four tools side by side, as the site's comparison
        page does: each tool's numbers and top pros and cons, the posts
        that weigh them (those naming most of them first), the teams that
        moved from one to another, and what their stacks also use."""
        return await run(answers.compare_tools, slugs=slugs)

    @server.tool(annotations=READ_ONLY)
    async def companies_using(
        slug: Slug,
        also_using: Annotated[
            list[Slug],
            Field(
                max_length=answers.MAX_ALSO_USING,
                description="Up to three more slugs: only companies that use "
                "all of them too (“which teams use X with Y”).",
            ),
        ] = [],  # noqa: B006 - read only, never mutated
        limit: Annotated[int, Field(ge=1, le=answers.MAX_COMPANIES)] = 20,
    ) -> schemas.CompaniesAnswer:
        """Companies whose shared stacks list a tool (and, optionally, other
        tools too), most followed first, with their size, industry and
        location."""
        return await run(
            answers.companies_using, slug=slug, also_using=also_using, limit=limit
        )

    @server.tool(annotations=READ_ONLY)
    async def decisions_about(
        slug: Slug,
        kind: Annotated[
            Literal["decided", "advice"] | None,
            Field(
                description="“decided”: decisions teams took; “advice”: "
                "questions asking for advice. Both when left out."
            ),
        ] = None,
        limit: Annotated[int, Field(ge=1, le=answers.MAX_DECISIONS)] = 10,
    ) -> schemas.DecisionsAnswer:
        """Posts members wrote about a tool, newest first: the decisions
        they took (which tools they chose and which they only considered,
        and why) and the advice they asked for."""
        return await run(answers.decisions_about, slug=slug, kind=kind, limit=limit)

    @server.tool(annotations=READ_ONLY)
    async def migrations_from(
        slug: Slug,
        limit: Annotated[int, Field(ge=1, le=answers.MAX_MOVES)] = 20,
    ) -> schemas.MigrationsAnswer:
        """What teams that dropped a tool moved to: the tools of the same
        function they added around the time they removed it, with how many
        teams did so, most first. Empty when no stack history shows one."""
        return await run(answers.migrations, slug=slug, direction="from", limit=limit)

    @server.tool(annotations=READ_ONLY)
    async def migrations_to(
        slug: Slug,
        limit: Annotated[int, Field(ge=1, le=answers.MAX_MOVES)] = 20,
    ) -> schemas.MigrationsAnswer:
        """What teams that adopted a tool moved away from: the tools of the
        same function they removed around the time they added it, with how
        many teams did so, most first."""
        return await run(answers.migrations, slug=slug, direction="to", limit=limit)

    @server.tool(annotations=READ_ONLY)
    async def scan_repository(
        path: Annotated[
            str,
            Field(
                min_length=1,
                max_length=1000,
                description="Absolute path of a repository's folder on the "
                "machine this server runs on.",
            ),
        ],
    ) -> schemas.ScanAnswer:
        """Work out a repository's stack: read its manifests (package.json,
        requirements, pyproject.toml, go.mod, Dockerfiles, CI configs and
        more) with stackshare's scanner and match what they name to catalog
        tools. Only folders below the server's scan roots may be read;
        nothing is uploaded or stored."""
        return await run(answers.scan_repository, path=path, roots=roots)

    return server
