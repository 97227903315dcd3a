"""Readers for Python: requirements files (with ``-r`` includes), pyproject.toml, Pipfile."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement

from scanner.manifests.package import (
    DEV,
    OPTIONAL,
    RUNTIME,
    ManifestError,
    Package,
    inferred,
    line_of,
)
from scanner.manifests.parsing import _toml

MAX_INCLUDE_DEPTH = 10


def requirement(line: str) -> Requirement | None:
    """A PEP 508 requirement read by ``packaging``; None when it is not one."""
    try:
        return Requirement(line)
    except InvalidRequirement:
        return None


def parse_requirement(line: str) -> tuple[str, str] | None:
    """ "Django[argon2]>=5.0 ; python_version>'3.10'" -> ("Django", ">=5.0")."""
    found = requirement(line.strip())
    if found is None:
        return None
    return found.name, _version_text(line, found)


def _version_text(line: str, found: Requirement) -> str:
    """The version constraint as written (``packaging`` would sort its parts)."""
    if found.url or not found.specifier:
        return ""
    head = line.split(";", 1)[0]
    head = re.sub(r"^\s*[A-Za-z0-9._-]+\s*(\[[^\]]*\])?", "", head)
    return head.strip().strip("()").replace(" ", "")


def _is_extra(found: Requirement) -> bool:
    return found.marker is not None and "extra" in str(found.marker)


def read_requirements(
    text: str,
    path: str,
    *,
    include: Callable[[str, str], tuple[str, str] | None] | None = None,
    seen: frozenset[str] = frozenset(),
) -> Iterator[Package]:
    """requirements*.txt: comments, continuations, options, extras, markers, -r.

    ``include(target, from_path)`` returns the path and text of a ``-r``
    target, or None when it is out of reach; a file already on the chain of
    includes is not read again, so loops end.
    """
    seen = seen | {path}
    dev = bool(re.search(r"(dev|test|lint|doc)", PurePosixPath(path).name))
    yield inferred("python", path)
    # requirements files are pip's format; a .in file is pip-tools' input.
    yield inferred("pip", path, kind=DEV)
    if PurePosixPath(path).suffix == ".in":
        yield inferred("pip-tools", path, kind=DEV)
    # pip-compile (and uv pip compile) write "# via" under each pin: a
    # package only some other package needs is transitive, one "via -r
    # file.in" the project's own choice.
    pending: Package | None = None
    via: list[str] | None = None

    def settled() -> Iterator[Package]:
        if pending is not None:
            direct = via is None or any(v.startswith(("-r", "-e")) for v in via)
            yield pending if direct else replace(pending, dev=False, kind=OPTIONAL)

    for number, raw in _logical_lines(text):
        line = raw.strip()
        if not line:
            continue
        if line[0] == "#":
            comment = line.lstrip("#").strip()
            if comment.startswith("via") and pending is not None:
                via = [comment[3:].strip()] if comment[3:].strip() else []
            elif via is not None and comment and raw.startswith((" ", "\t")):
                via.append(comment)
            continue
        yield from settled()
        pending, via = None, None
        if "#" in line:  # most lines have no comment: spare them the regex
            if inline := re.search(r"\s#\s*via\s+(.*)$", line):
                via = [v.strip() for v in inline[1].split(",")]
            line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line:
            continue
        if line.startswith(("-r", "--requirement")):
            target = re.sub(r"^(-r|--requirement)[=\s]*", "", line).strip()
            included = include(target, path) if include is not None else None
            if (
                included is not None
                and included[0] not in seen
                and len(seen) < MAX_INCLUDE_DEPTH
            ):
                yield from read_requirements(
                    included[1], included[0], include=include, seen=seen
                )
            continue
        if line.startswith(("-e", "--editable")):
            egg = re.search(r"#egg=([A-Za-z0-9._-]+)", raw)
            if egg:
                yield Package("pypi", egg[1], "", path, dev, line=number)
            continue
        if line.startswith("-") or "://" in line.split(" @ ")[0]:
            continue  # -c, -i, --hash…, or a bare URL
        line = re.sub(r"\s--hash[=\s]\S+", "", line)
        parsed = parse_requirement(line)
        if parsed is None:
            raise ManifestError(
                f"cannot read the requirement on line {number}: “{raw.strip()[:80]}”"
            )
        pending = Package("pypi", parsed[0], parsed[1], path, dev, line=number)
    yield from settled()


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines with their numbers, a trailing backslash joining the next one."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if raw.endswith("\\"):
            pending += raw[:-1] + " "
            continue
        yield start, pending + raw
        pending = ""
    if pending:
        yield start, pending


# Tables of pyproject.toml that name the tool configured in them.
PYPROJECT_TOOLS = {
    "poetry": ("poetry", DEV),
    "uv": ("uv", DEV),
    "pdm": ("pdm", DEV),
    "hatch": ("hatch", DEV),
    "pytest": ("pytest", DEV),
    "ruff": ("ruff", DEV),
    "mypy": ("mypy", DEV),
    "black": ("black", DEV),
    "pylint": ("pylint", DEV),
}


def read_pyproject(text: str, path: str) -> list[Package]:
    """pyproject.toml: PEP 621 dependencies and extras, PEP 735 groups, Poetry."""
    data = _toml(text)
    packages: list[Package] = [inferred("python", path)]

    def add(entry: object, kind: str) -> None:
        if not isinstance(entry, str) or (found := requirement(entry)) is None:
            return
        if kind == RUNTIME and _is_extra(found):
            kind = OPTIONAL
        version = _version_text(entry, found)
        packages.append(
            Package(
                "pypi",
                found.name,
                version,
                path,
                kind == DEV,
                line=line_of(text, entry),
                kind=kind,
            )
        )

    project = data.get("project", {})
    for entry in project.get("dependencies", []):
        add(entry, RUNTIME)
    for extra in project.get("optional-dependencies", {}).values():
        for entry in extra:
            add(entry, OPTIONAL)
    for group in data.get("dependency-groups", {}).values():
        for entry in group:
            add(entry, DEV)  # include-group tables are skipped

    tool = data.get("tool", {})
    for table, (slug, kind) in PYPROJECT_TOOLS.items():
        if table in tool:
            packages.append(inferred(slug, path, line_of(text, f"[tool.{table}"), kind))
    poetry = tool.get("poetry", {})
    sections = [(poetry.get("dependencies", {}), RUNTIME)]
    sections.append((poetry.get("dev-dependencies", {}), DEV))
    for name, group in poetry.get("group", {}).items():
        optional = group.get("optional", False)
        sections.append(
            (
                group.get("dependencies", {}),
                RUNTIME if name == "main" else OPTIONAL if optional else DEV,
            )
        )
    for table, section_kind in sections:
        for name, spec in table.items():
            if name.lower() == "python":
                continue
            kind = section_kind
            if isinstance(spec, dict) and spec.get("optional"):
                kind = OPTIONAL
            version = spec if isinstance(spec, str) else ""
            if isinstance(spec, dict):
                version = spec.get("version", "")
            packages.append(
                Package(
                    "pypi",
                    name,
                    str(version),
                    path,
                    kind == DEV,
                    line=line_of(text, f"\n{name}"),
                    kind=kind,
                )
            )
    build = data.get("build-system", {}).get("build-backend", "")
    if isinstance(build, str) and build.startswith("poetry"):
        packages.append(inferred("poetry", path, line_of(text, build), DEV))
    return packages


def read_pipfile(text: str, path: str) -> list[Package]:
    data = _toml(text)
    packages = [inferred("python", path), inferred("pipenv", path, kind=DEV)]
    for section, dev in (("packages", False), ("dev-packages", True)):
        for name, spec in data.get(section, {}).items():
            version = spec if isinstance(spec, str) else spec.get("version", "")
            version = "" if version == "*" else version
            packages.append(
                Package("pypi", name, version, path, dev, line=line_of(text, name))
            )
    return packages
