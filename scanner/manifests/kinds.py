"""Which reader reads which file: the ``READERS`` table, ``reader_for`` and ``guess_kind``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from fnmatch import translate as fnmatch_translate
from itertools import islice
from pathlib import PurePosixPath

# signals and swift build on the readers of this package: they import them from its
# modules, since the package itself is still loading when this module imports them.
from scanner import signals, swift
from scanner.limits import LimitError, check_json
from scanner.manifests.containers import (
    COMPOSE_DIRS,
    COMPOSE_IN_FOLDER,
    read_compose,
    read_dockerfile,
    read_folder_compose,
)
from scanner.manifests.jvm import read_gradle, read_pom_xml, read_version_catalog
from scanner.manifests.languages import (
    read_cargo_toml,
    read_composer_json,
    read_gemfile,
    read_go_mod,
    read_package_json,
)
from scanner.manifests.package import Reader
from scanner.manifests.python import read_pipfile, read_pyproject, read_requirements
from scanner.manifests.techstack import read_techstack
from scanner.manifests.workflows import read_workflow

READERS: list[tuple[str, str, Reader]] = [
    ("package.json", "package.json", read_package_json),
    ("requirements*.txt", "requirements.txt", read_requirements),
    ("requirements/*.txt", "requirements.txt", read_requirements),
    ("requirements*.in", "requirements.txt", read_requirements),
    ("pyproject.toml", "pyproject.toml", read_pyproject),
    ("Pipfile", "Pipfile", read_pipfile),
    ("Gemfile", "Gemfile", read_gemfile),
    ("go.mod", "go.mod", read_go_mod),
    ("Cargo.toml", "Cargo.toml", read_cargo_toml),
    ("composer.json", "composer.json", read_composer_json),
    ("pom.xml", "pom.xml", read_pom_xml),
    ("build.gradle", "build.gradle", read_gradle),
    ("build.gradle.kts", "build.gradle.kts", read_gradle),
    ("libs.versions.toml", "libs.versions.toml", read_version_catalog),
    ("Dockerfile", "Dockerfile", read_dockerfile),
    ("Dockerfile.*", "Dockerfile", read_dockerfile),
    ("*.Dockerfile", "Dockerfile", read_dockerfile),
    ("docker-compose*.yml", "docker-compose.yml", read_compose),
    ("docker-compose*.yaml", "docker-compose.yml", read_compose),
    ("compose.yml", "docker-compose.yml", read_compose),
    ("compose.yaml", "docker-compose.yml", read_compose),
    ("compose.*.yml", "docker-compose.yml", read_compose),
    ("compose.*.yaml", "docker-compose.yml", read_compose),
    (".github/workflows/*.yml", "GitHub workflow", read_workflow),
    (".github/workflows/*.yaml", "GitHub workflow", read_workflow),
    ("techstack.yml", "techstack.yml", read_techstack),
    ("techstack.yaml", "techstack.yml", read_techstack),
    *signals.SIGNAL_READERS,
    *swift.SWIFT_READERS,
]
KINDS = {kind: reader for _, kind, reader in READERS}
KUBERNETES = "Kubernetes manifest"
KINDS[KUBERNETES] = signals.read_kubernetes
KINDS[COMPOSE_IN_FOLDER] = read_folder_compose
# Kinds whose files are recognised by their folder, then by their content: a
# file that turns out to be neither is no manifest at all.
BY_FOLDER = {KUBERNETES, COMPOSE_IN_FOLDER}

# A scan asks this of every file of the repository, so plain names are looked
# up in a dict and the patterns are tried only on names one of them matches.
_EXACT: dict[str, tuple[str, Reader]] = {}
_PATTERNS: list[tuple[re.Pattern[str], str, str, Reader]] = []
for _pattern, _kind, _reader in READERS:
    _directory, _, _name = _pattern.rpartition("/")
    if not _directory and not any(c in _name for c in "*?["):
        _EXACT.setdefault(_name, (_kind, _reader))
    else:
        _PATTERNS.append(
            (re.compile(fnmatch_translate(_name)), _directory, _kind, _reader)
        )
_ANY_PATTERN = re.compile("|".join(f"(?:{p.pattern})" for p, *_ in _PATTERNS))


def reader_for(path: str) -> tuple[str, Reader] | None:
    """The kind of manifest a path names, and its reader; None for other files."""
    pure = PurePosixPath(path)
    name = pure.name
    if name in _EXACT and not (
        name == "Makefile" and len(pure.parts) > 1 and pure.parts[0] != "."
    ):
        return _EXACT[name]
    if _ANY_PATTERN.match(name):
        for pattern, directory, kind, reader in _PATTERNS:
            if pattern.match(name) and (
                not directory or str(pure.parent).endswith(directory)
            ):
                return kind, reader
    if not name.endswith((".yaml", ".yml")):
        return None
    if len(pure.parts) > 1 and pure.parts[-2] in COMPOSE_DIRS:
        return COMPOSE_IN_FOLDER, read_folder_compose
    if signals.is_kubernetes_path(pure.parts):
        return KUBERNETES, signals.read_kubernetes
    return None


GUESS_LINES = 200


def guess_kind(text: str) -> str | None:
    """Recognise pasted text without a file name; None when it looks like nothing."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            check_json(stripped)
        except LimitError:
            return "package.json"  # too deep to look into: its reader says why
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        if "packages" in data and data.get("format") == "stackshare-stack":
            return "stack file"
        if data.get("bomFormat") == "CycloneDX" or "spdxVersion" in data:
            return "SBOM"
        if "require" in data or "require-dev" in data:
            return "composer.json"
        return "package.json"
    if stripped.startswith("<"):
        return "pom.xml" if "<project" in text else None
    checks: list[tuple[str, str]] = [
        (r"^tools:[ \t]*$", "techstack.yml"),
        (r"^services:[ \t]*$", "docker-compose.yml"),
        (r"^jobs:[ \t]*$", "GitHub workflow"),
        (r"^[ \t]*FROM[ \t]+\S+", "Dockerfile"),
        (r"^module\s+\S+", "go.mod"),
        (r"^\[(project|tool\.poetry|build-system)\]", "pyproject.toml"),
        (r"^\[(dev-)?packages\]", "Pipfile"),
        (r"^\[(package|dependencies|workspace)\]", "Cargo.toml"),
        (r"^[ \t]*gem[ \t]+[\"']", "Gemfile"),
        (r"\b(implementation|testImplementation)\b\s*(?:\(\s*)?[\"']", "build.gradle"),
    ]
    for pattern, kind in checks:
        if re.search(pattern, text, re.MULTILINE):
            return kind
    # The first lines decide; the reader refuses a bad line further down.
    lines = list(
        islice(
            (
                line.strip()
                for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            ),
            GUESS_LINES,
        )
    )
    requirement = re.compile(
        r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*([<>=!~;@(].*)?$"
    )
    if lines and all(line.startswith("-") or requirement.match(line) for line in lines):
        return "requirements.txt"
    return None


def iter_kinds() -> Iterator[str]:
    seen = set()
    for _, kind, _ in READERS:
        if kind not in seen:
            seen.add(kind)
            yield kind
