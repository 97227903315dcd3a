"""Scanning in tests: write a folder of files, then scan it."""

from __future__ import annotations

import scanner


def write(root, files):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return scanner.scan(root)
