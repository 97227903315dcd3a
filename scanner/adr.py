"""Architecture decision records of a repository, found for the site.

Where teams keep ADRs (``docs/adr/`` and its usual siblings) and how many
are read, in one place: ``import_stack`` parses them on the server
(``changes.adr``), and ``stackshare-scan`` carries them in the stack file it
pushes, as text, so the site keeps them as drafts for the company to review.
Plain files only; nothing is rendered or executed.
"""

from __future__ import annotations

from pathlib import Path

ADR_FOLDERS = ["docs/adr", "adr", "docs/decisions", "doc/adr"]
MAX_FILES = 200
MAX_BYTES = 64 * 1024
SKIPPED = {"readme.md", "template.md", "index.md", "adr-template.md"}
# What a pushed stack file carries: fewer and shorter, within the push's
# size limit (the site keeps at most 4,000 characters of each section).
MAX_PUSHED = 20
MAX_PUSHED_CHARS = 8000


def find_adr_files(root: Path) -> list[Path]:
    """The ADR Markdown files under the usual folders of a repository."""
    found: list[Path] = []
    for folder in ADR_FOLDERS:
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for path in sorted(base.glob("*.md")):
            if path.name.lower() in SKIPPED or not path.is_file() or path.is_symlink():
                continue
            if path.stat().st_size > MAX_BYTES:
                continue
            found.append(path)
            if len(found) >= MAX_FILES:
                return found
    return found


def decision_records(root: Path) -> list[dict[str, str]]:
    """The newest ADR files (by name, as they are numbered) as path and
    text, for a stack file."""
    files = find_adr_files(root)[-MAX_PUSHED:]
    records = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        records.append(
            {
                "path": path.relative_to(root).as_posix(),
                "text": text[:MAX_PUSHED_CHARS],
            }
        )
    return records
