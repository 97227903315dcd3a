"""Serve the catalog to AI assistants over the Model Context Protocol.

``manage.py mcp_server`` speaks over stdin and stdout, for an assistant that
starts the server itself; ``manage.py mcp_server --http HOST:PORT`` serves
streamable HTTP at ``/mcp`` for a shared deployment, where every request
needs a personal access token with the ``read`` scope.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import anyio
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assistant.http import PATH, http_app
from assistant.server import build_server


class Command(BaseCommand):
    help = (
        "Serve stackshare's read-only tools to AI assistants (Model Context "
        "Protocol), over stdio or, with --http HOST:PORT, streamable HTTP."
    )
    # stdout belongs to the protocol: nothing else may be written there.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--http",
            metavar="HOST:PORT",
            help="Serve streamable HTTP (at /mcp) instead of stdio.",
        )
        parser.add_argument(
            "--scan-root",
            action="append",
            default=None,
            type=Path,
            metavar="FOLDER",
            help="A folder scan_repository may read below (repeatable). Over "
            "stdio the default is your home folder; over HTTP scanning is off "
            "unless a root is given.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roots: list[Path] | None = options["scan_root"]
        for root in roots or []:
            if not root.is_dir():
                raise CommandError(f"--scan-root {root} is not a folder.")
        # The SDK logs each call at INFO; on stdio its log goes to stderr,
        # which assistants show as the server's log.
        level = logging.WARNING if options["verbosity"] < 2 else logging.INFO
        if options["http"]:
            self.serve_http(options["http"], roots or [], level)
        else:
            server = build_server(scan_roots=[Path.home()] if roots is None else roots)
            logging.getLogger("mcp").setLevel(level)
            anyio.run(server.run_stdio_async)

    def serve_http(self, address: str, roots: list[Path], level: int) -> None:
        import uvicorn

        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError("--http takes HOST:PORT, e.g. 127.0.0.1:8765.")
        app = http_app(build_server(scan_roots=roots), host=host)
        self.stderr.write(f"Serving the MCP server at http://{address}{PATH}")
        uvicorn.run(
            app,
            host=host,
            port=int(port),
            log_level=logging.getLevelName(level).lower(),
        )
