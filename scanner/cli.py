"""The ``stackshare-scan`` command: print a repository's stack file as JSON."""

from __future__ import annotations

import argparse
import sys
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
        "--version", action="version", version=f"stackshare-scan {VERSION}"
    )
    args = parser.parse_args(argv)

    root = Path(args.path)
    if not root.exists():
        parser.error(f"{root} does not exist")
    result = scan(root)
    output = result.to_json()
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


if __name__ == "__main__":
    raise SystemExit(main())
