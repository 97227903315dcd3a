"""stackshare-scan: find the packages and images a repository declares.

Pure Python with no Django, so it runs in any repository. The site imports
only the public functions below (``scan``, ``read_manifest``,
``read_stack_file``) and the ``StackFile`` they return; the JSON it prints
is documented in ``docs/stack-file.md``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any

from scanner import adr
from scanner.evidence import (
    DEV_DIRS,
    DEVCONTAINER_DIR,
    DOCS_SITE_DIRS,
    VENDORED_DIRS,
    evidence_kind,
)
from scanner.limits import (
    LOCKFILES,
    MAX_FILE_SIZE,
    MAX_PACKAGES,
    Budget,
    LimitError,
    check_json,
    human_size,
    size_limit,
)
from scanner.manifests import (
    BY_FOLDER,
    DEV,
    EVIDENCE_KINDS,
    INFERRED,
    KINDS,
    OPTIONAL,
    RUNTIME,
    SELECTED_KINDS,
    TOOL,
    VENDORED,
    ManifestError,
    Package,
    guess_kind,
    inferred,
    read_requirements,
    reader_for,
)
from scanner.signals import LOCKFILE_TOOLS, from_purl

__all__ = [
    "DEVCONTAINER_DIR",
    "DEV_DIRS",
    "DOCS_SITE_DIRS",
    "EVIDENCE_KINDS",
    "FORMAT",
    "INFERRED",
    "MAX_FILE_SIZE",
    "MAX_PACKAGES",
    "OPTIONAL",
    "RUNTIME",
    "SELECTED_KINDS",
    "TOOL",
    "VENDORED",
    "VENDORED_DIRS",
    "VERSION",
    "Budget",
    "ManifestError",
    "Package",
    "StackFile",
    "Warning",
    "evidence_kind",
    "from_purl",
    "guess_kind",
    "read_manifest",
    "read_stack_file",
    "scan",
]

VERSION = "0.2.0"
FORMAT = "stackshare-stack"
FORMAT_VERSION = 1
SKIPPED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "vendors",
    ".venv",
    "venv",
    "env",
    ".env",
    ".tox",
    ".nox",
    "__pycache__",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".gradle",
    ".idea",
    "target",
    "dist",
    "build",
    ".next",
    ".nuxt",
    "Pods",
    "DerivedData",
}


@dataclass(frozen=True)
class Warning:
    file: str
    message: str


@dataclass
class StackFile:
    """What a scan found: packages, the files read, and warnings."""

    packages: list[Package] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    root: str = ""
    generator: str = f"stackshare-scan {VERSION}"
    generated_at: str = ""
    # The repository's architecture decision records, as path and text
    # (scanner.adr); the site keeps them as drafts for the company to review.
    decision_records: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "generator": self.generator,
            "generated_at": self.generated_at,
            "root": self.root,
            "files": self.files,
            "packages": [package.as_dict() for package in self.packages],
            "warnings": [{"file": w.file, "message": w.message} for w in self.warnings],
        }
        if self.decision_records:
            data["decision_records"] = self.decision_records
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def merge(self, other: StackFile) -> None:
        self.packages.extend(other.packages)
        self.files.extend(other.files)
        self.warnings.extend(other.warnings)


def decode(data: bytes, path: str) -> str:
    """Manifests are UTF-8 (a BOM is allowed); anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ManifestError(
            f"not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from error


def read_manifest(
    path: str,
    data: bytes,
    *,
    kind: str | None = None,
    include: Any = None,
    budget: Budget | None = None,
) -> StackFile:
    """Read one manifest's bytes; problems become warnings, never exceptions.

    ``path`` (relative, with forward slashes) picks the reader unless
    ``kind`` names one (as ``manifests.KINDS`` spells it); a stack file
    written by this scanner is read back as it is. A ``budget`` shared by
    the files of one import bounds what they cost together (see
    ``scanner.limits``); a file beyond it is skipped with a warning.
    """
    result = StackFile(files=[path])
    try:
        if PurePosixPath(path).name in LOCKFILES:
            result.packages = lockfile_tools(path)
            raise ManifestError(
                "not read: a lockfile lists every transitive package; "
                "upload the manifest beside it instead"
            )
        if len(data) > MAX_FILE_SIZE:
            raise LimitError(f"skipped: larger than {human_size(MAX_FILE_SIZE)}")
        text = decode(data, path)
        if kind is None:
            found = reader_for(path)
            # An upload loses its folder ("requirements/base.txt" arrives as
            # "base.txt"), so an unknown name is recognised by its content.
            kind = found[0] if found is not None else guess_kind(text)
        if kind is None or (kind not in KINDS and kind != "stack file"):
            raise ManifestError("not a manifest this scanner knows")
        if len(data) > size_limit(kind):
            raise LimitError(
                f"skipped: {kind} files are read up to {human_size(size_limit(kind))}"
            )
        if budget is not None:
            budget.charge(kind, len(data))
        if kind == "stack file":
            result = read_stack_file(text, path=path)
        else:
            packages = (
                read_requirements(text, path, include=include)
                if KINDS[kind] is read_requirements
                else KINDS[kind](text, path)
            )
            # One more than the budget allows, so the cut can be reported.
            cap = None if budget is None else max(budget.packages, 0) + 1
            for package in islice(packages, cap):
                kind = evidence_kind(path, package.kind)
                result.packages.append(
                    package if kind == package.kind else package.with_kind(kind)
                )
    except (ManifestError, LimitError) as error:
        result.warnings.append(Warning(path, str(error)))
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        result.warnings.append(Warning(path, f"unexpected structure ({error})"))
    except RecursionError:
        # The nesting checks should stop this first; a traceback never should.
        result.warnings.append(Warning(path, "nested too deeply to read"))
    if result.warnings:
        # A file that cannot be read lists nothing, but still says what it
        # is by being there (a CircleCI config means CircleCI).
        result.packages = [p for p in result.packages if p.ecosystem == TOOL]
    if budget is not None:
        _spend(result, path, budget)
    return result


def lockfile_tools(path: str) -> list[Package]:
    """A lockfile is not read, but its name says which package manager made it."""
    slug = LOCKFILE_TOOLS.get(PurePosixPath(path).name)
    if slug is None:
        return []
    package = inferred(slug, path)
    kind = evidence_kind(path, package.kind)
    return [package if kind == package.kind else package.with_kind(kind)]


def _spend(result: StackFile, path: str, budget: Budget) -> None:
    """Keep to the packages an import may still take, and say when it stops."""
    if len(result.packages) > budget.packages:
        del result.packages[budget.packages :]
        result.warnings.append(
            Warning(
                path,
                f"stopped after {MAX_PACKAGES:,} packages: "
                "one import shows at most that many",
            )
        )
    budget.packages -= len(result.packages)


def read_stack_file(text: str, *, path: str = "stack.json") -> StackFile:
    """Load a stack file this scanner wrote (or one written by hand to its format)."""
    check_json(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(f"not valid JSON ({error.msg})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError(f"not a stack file (no “format”: “{FORMAT}”)")
    if not isinstance(data.get("packages"), list):
        raise ManifestError("a stack file needs a “packages” list")
    result = StackFile(
        root=str(data.get("root", "")),
        generator=str(data.get("generator", "")),
        generated_at=str(data.get("generated_at", "")),
        files=[str(f) for f in data.get("files", [])],
    )
    for entry in data["packages"]:
        if (
            not isinstance(entry, dict)
            or not entry.get("ecosystem")
            or not entry.get("name")
        ):
            raise ManifestError("every package needs an “ecosystem” and a “name”")
        result.packages.append(
            Package(
                ecosystem=str(entry["ecosystem"]),
                name=str(entry["name"]),
                version=str(entry.get("version", "")),
                file=str(entry.get("file", path)),
                dev=bool(entry.get("dev", False)),
                website=str(entry.get("website", "")),
                line=_line(entry.get("line")),
                kind=str(entry.get("kind", "")),
            )
        )
    for entry in data.get("warnings", []):
        if isinstance(entry, dict):
            result.warnings.append(
                Warning(str(entry.get("file", "")), str(entry.get("message", "")))
            )
    result.decision_records = _decision_records(data.get("decision_records", []))
    return result


def _decision_records(entries: object) -> list[dict[str, str]]:
    """The ADRs a stack file carries, bounded as the scanner writes them."""
    if not isinstance(entries, list):
        raise ManifestError("“decision_records” must be a list")
    if len(entries) > adr.MAX_PUSHED:
        raise ManifestError(
            f"a stack file may carry up to {adr.MAX_PUSHED} decision records"
        )
    records = []
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("text"), str)
        ):
            raise ManifestError("every decision record needs a “path” and a “text”")
        records.append(
            {
                "path": entry["path"][:300],
                "text": entry["text"][: adr.MAX_PUSHED_CHARS],
            }
        )
    return records


def _line(value: object) -> int:
    return value if isinstance(value, int) and 0 < value < 10**7 else 0


def _is_venv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").exists()


def scan(root: Path | str) -> StackFile:
    """Walk a repository and read every manifest it declares its stack in."""
    root = Path(root).resolve()
    result = StackFile(
        root=root.name, generated_at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    if root.is_file():
        result.merge(read_manifest(root.name, root.read_bytes()))
        return result
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(
            name
            for name in dirnames
            if name not in SKIPPED_DIRS
            and not _is_venv(here / name)
            and not (here / name).is_symlink()
        )
        base = here.relative_to(root).as_posix()
        for filename in sorted(filenames):
            relative = filename if base == "." else f"{base}/{filename}"
            if filename in LOCKFILE_TOOLS:
                result.packages.extend(lockfile_tools(relative))
                continue
            found = reader_for(relative)
            full = here / filename
            if found is None or full.is_symlink():
                continue
            if full.stat().st_size > MAX_FILE_SIZE:
                result.files.append(relative)
                result.warnings.append(
                    Warning(
                        relative, f"skipped: larger than {human_size(MAX_FILE_SIZE)}"
                    )
                )
                continue
            read = read_manifest(relative, full.read_bytes(), include=_includer(root))
            if found[0] in BY_FOLDER and not read.packages and not read.warnings:
                continue  # a YAML file beside the manifests, not one of them
            result.merge(read)
    result.packages = _unique(result.packages)
    _default_package_manager(result)
    result.decision_records = adr.decision_records(root)
    return result


JS_PACKAGE_MANAGERS = {"npm", "yarn", "pnpm", "bun"}


def _default_package_manager(result: StackFile) -> None:
    """A root package.json that no lockfile or ``packageManager`` field
    explains is installed with npm, Node.js's own package manager."""
    if "package.json" not in result.files:
        return
    named = {
        p.name
        for p in result.packages
        if p.ecosystem == TOOL and p.name in JS_PACKAGE_MANAGERS
    }
    if not named:
        result.packages.append(inferred("npm", "package.json", kind=DEV))


def _includer(root: Path) -> Any:
    """Resolve ``-r other.txt`` inside the repository, never outside it."""

    def include(target: str, from_path: str) -> tuple[str, str] | None:
        candidate = ((root / from_path).parent / target).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        if candidate.stat().st_size > MAX_FILE_SIZE:
            return None
        relative = candidate.relative_to(root).as_posix()
        try:
            return relative, decode(candidate.read_bytes(), relative)
        except ManifestError:
            return None

    return include


def _unique(packages: list[Package]) -> list[Package]:
    """Drop exact repeats (a -r include read twice), keeping the first."""
    seen = set()
    unique = []
    for package in packages:
        key = (package.ecosystem, package.name, package.file)
        if key not in seen:
            seen.add(key)
            unique.append(package)
    return unique


def relative_name(path: str) -> str:
    """A safe display path for an uploaded file's name."""
    parts = [
        p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in {"..", "/"}
    ]
    return "/".join(parts)[-200:] or "upload"
