"""The ``stackshare-scan`` command: print a repository's stack file as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from scanner import VERSION, scan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="stackshare-scan",
        description=(
            "Find the packages, images and CI actions a repository declares and "
            "print them as a stack file (JSON) to import on stackshare."
        ),
    )
    parser.add_argument(
        "path", nargs="?", default=".", help="repository folder or one manifest"
    )
    parser.add_argument(
        "-o", "--output", help="write the stack file here instead of stdout"
    )
    parser.add_argument(
        "--push",
        metavar="URL",
        help="send the scan to a stack's scans address "
        "(https://…/api/v1/stacks/SLUG/scans/), with the token in STACKSHARE_TOKEN",
    )
    parser.add_argument(
        "--version", action="version", version=f"stackshare-scan {VERSION}"
    )
    args = parser.parse_args(argv)

    root = Path(args.path)
    if not root.exists():
        parser.error(f"{root} does not exist")
    if args.push and not os.environ.get(TOKEN_VARIABLE):
        parser.error(f"--push needs an access token in {TOKEN_VARIABLE}")
    result = scan(root)
    output = result.to_json()
    if args.push:
        return push(args.push, output, token=os.environ[TOKEN_VARIABLE])
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
    else:
        sys.stdout.write(output)
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning.file}: {warning.message}\n")
    sys.stderr.write(
        f"{len(result.packages)} packages in {len(result.files)} files"
        f"{f', {len(result.warnings)} warnings' if result.warnings else ''}\n"
    )
    return 0


TOKEN_VARIABLE = "STACKSHARE_TOKEN"  # noqa: S105 - a variable name
PUSH_TIMEOUT_SECONDS = 60


def push(url: str, stack_file: str, *, token: str) -> int:
    """Send the stack file; print what changed. Exit status 1 when refused."""
    if not url.startswith(("https://", "http://")):
        sys.stderr.write("error: --push takes an http(s) address\n")
        return 2
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=stack_file.encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"stackshare-scan/{VERSION}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=PUSH_TIMEOUT_SECONDS) as response:  # noqa: S310
            outcome = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read()).get("detail", "")
        except ValueError:
            detail = ""
        sys.stderr.write(
            f"error: the site answered {error.code}: {detail or error.reason}\n"
        )
        return 1
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        sys.stderr.write(f"error: could not push the scan: {error}\n")
        return 1
    if outcome.get("repeated"):
        sys.stdout.write("The stack already has this scan; nothing changed.\n")
        return 0
    for label, key in (
        ("added", "added"),
        ("not seen any more", "not_seen"),
        ("seen again", "seen_again"),
    ):
        tools = outcome.get(key) or []
        if tools:
            sys.stdout.write(f"{label}: {', '.join(tools)}\n")
    sys.stdout.write(
        f"{len(outcome.get('added') or [])} added, "
        f"{len(outcome.get('not_seen') or [])} not seen, "
        f"{outcome.get('unknown', 0)} packages unknown to the catalog\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
