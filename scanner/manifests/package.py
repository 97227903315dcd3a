"""What a reader returns: ``Package``, its evidence kinds, ``ManifestError``, line numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any


class ManifestError(ValueError):
    """A manifest that cannot be read; the message says why."""


# How much a finding counts, from the file and section it came from. The
# import pre-selects the first three (the project's own stack) and shows the
# rest unticked.
RUNTIME = "runtime"  # a dependency the application needs to run
INFERRED = "inferred"  # the file itself says it: go.mod means Go
DEV = "dev"  # development and test dependencies, linters, build tools
OPTIONAL = "optional"  # extras, optional groups, indirect (transitive) requirements
CI = "ci"  # only in continuous integration: actions, CI images and services
VENDORED = "vendored"  # in vendored, copied-in, example or fixture code
EVIDENCE_KINDS = (RUNTIME, INFERRED, DEV, OPTIONAL, CI, VENDORED)
SELECTED_KINDS = frozenset({RUNTIME, INFERRED, DEV})
# Packages whose ecosystem is "tool" name a catalog tool by its slug: what a
# file implies rather than what it lists (a Dockerfile means Docker).
TOOL = "tool"


@dataclass(frozen=True, order=True)
class Package:
    """One dependency as a manifest declares it, with where and how it was found."""

    ecosystem: str
    name: str
    version: str = ""
    file: str = ""
    dev: bool = False
    website: str = ""
    line: int = 0
    kind: str = ""

    def __post_init__(self) -> None:
        # Older stack files and readers say only "dev"; the kind follows from it.
        if self.kind not in EVIDENCE_KINDS:
            object.__setattr__(self, "kind", DEV if self.dev else RUNTIME)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.website:
            del data["website"]
        if not self.line:
            del data["line"]
        return data

    def with_kind(self, kind: str) -> Package:
        return replace(self, kind=kind, dev=self.dev or kind in {DEV, CI})


def inferred(slug: str, path: str, line: int = 0, kind: str = INFERRED) -> Package:
    """A tool the file implies, named by its catalog slug."""
    return Package(TOOL, slug, "", path, kind in {DEV, CI}, line=line, kind=kind)


def line_at(text: str, index: int) -> int:
    """The 1-based line of a character offset (0 when it was not found)."""
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def line_of(text: str, needle: str, start: int = 0) -> int:
    """The line where ``needle`` first appears, or 0: for formats parsed whole."""
    return line_at(text, text.find(needle, start)) if needle else 0


# A reader may yield its packages one by one, so an import that has found
# enough stops reading (``scanner.read_manifest`` takes what its budget allows).
Reader = Callable[[str, str], Iterable[Package]]
