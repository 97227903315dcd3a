"""Architecture decision records found in a repository, read as drafts.

Reads the Markdown ADR layouts teams use most: MADR (front matter with
``status``, sections "Context and Problem Statement", "Considered Options",
"Decision Outcome", "Consequences") and Michael Nygard's (title, "Status",
"Context", "Decision", "Consequences"). Plain text only; nothing is
rendered or executed here. Which files are read (a few folders, bounded
in number and size) is the scanner's to say (``scanner.adr``), so a
folder import and a pushed scan find the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scanner.adr import find_adr_files

STATUSES = {
    "proposed": "proposed",
    "accepted": "accepted",
    "superseded": "superseded",
    "deprecated": "deprecated",
    "rejected": "deprecated",
}


@dataclass
class ParsedAdr:
    path: str
    title: str
    status: str = "accepted"
    context: str = ""
    decision: str = ""
    consequences: str = ""
    options: list[str] = field(default_factory=list)


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$", re.MULTILINE)


def parse_adr(text: str, *, path: str) -> ParsedAdr | None:
    """An ADR's parts; None when the text has no title."""
    text = text.replace("\r\n", "\n")
    status = ""
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() == "status":
                status = value.strip().strip("\"'").lower()
        text = text[match.end() :]
    headings = list(_HEADING.finditer(text))
    title_match = next((h for h in headings if len(h.group(1)) == 1), None)
    if title_match is None:
        return None
    # "# 3. Use PostgreSQL" and "# ADR-0003: Use PostgreSQL" lose their number.
    title = re.sub(
        r"^(adr[-\s]?)?\d+[.:)\s-]+\s*", "", title_match.group(2), flags=re.IGNORECASE
    )
    sections: dict[str, str] = {}
    for index, heading in enumerate(headings):
        if len(heading.group(1)) == 1:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        name = heading.group(2).strip().lower()
        sections[name] = text[heading.end() : end].strip()
    status = status or _first_word(_section(sections, "status"))
    options = [
        re.sub(r"^[*-]\s+", "", line).strip()
        for line in _section(sections, "considered options").splitlines()
        if re.match(r"^[*-]\s+", line)
    ]
    return ParsedAdr(
        path=path,
        title=title.strip()[:140] or path,
        status=STATUSES.get(status, "accepted"),
        context=_section(sections, "context and problem statement", "context"),
        decision=_section(sections, "decision outcome", "decision"),
        consequences=_section(sections, "consequences"),
        options=options[:10],
    )


def _section(sections: dict[str, str], *names: str) -> str:
    for name in names:
        if name in sections:
            return sections[name][:4000]
    return ""


def _first_word(text: str) -> str:
    words = re.findall(r"[a-zA-Z]+", text)
    return words[0].lower() if words else ""


def parse_pushed(records: list[dict[str, str]]) -> list[ParsedAdr]:
    """The ADRs a pushed stack file carries that parse."""
    parsed = [parse_adr(r["text"], path=r["path"]) for r in records]
    return [adr for adr in parsed if adr is not None]


def read_adrs(root: Path) -> list[ParsedAdr]:
    """Every ADR of a repository folder that parses."""
    parsed = []
    for path in find_adr_files(root):
        text = path.read_text(encoding="utf-8", errors="replace")
        adr = parse_adr(text, path=str(path.relative_to(root)))
        if adr is not None:
            parsed.append(adr)
    return parsed
