"""Readers for dependency manifests: one function per file format.

Each reader takes the file's text and its path (relative to the scanned
root) and returns the packages it declares. A reader raises
``ManifestError`` when the file cannot be understood; the caller turns that
into a warning and carries on with the other files. No Django here: this
module runs in any repository.
"""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from fnmatch import fnmatch
from itertools import islice
from pathlib import PurePosixPath
from typing import Any

from scanner.limits import (
    MAX_DEPTH,
    LimitError,
    check_depth,
    check_json,
    check_toml,
    check_yaml,
    data_depth,
    parse_xml,
)


class ManifestError(ValueError):
    """A manifest that cannot be read; the message says why."""


@dataclass(frozen=True, order=True)
class Package:
    """One dependency as a manifest declares it."""

    ecosystem: str
    name: str
    version: str = ""
    file: str = ""
    dev: bool = False
    website: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.website:
            del data["website"]
        return data


# A reader may yield its packages one by one, so an import that has found
# enough stops reading (``scanner.read_manifest`` takes what its budget allows).
Reader = Callable[[str, str], Iterable[Package]]
MAX_INCLUDE_DEPTH = 10


# --- Python ---------------------------------------------------------------

PEP508 = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*"
    r"(?:\[(?P<extras>[^\]]*)\])?\s*"
    r"(?P<spec>(?:\(?\s*(?:[<>=!~]=?|===)[^;]*)?)"
)


def parse_requirement(line: str) -> tuple[str, str] | None:
    """ "Django[argon2]>=5.0 ; python_version>'3.10'" -> ("Django", ">=5.0")."""
    line = line.split(";", 1)[0].strip()
    if " @ " in line:  # direct reference: name @ url
        line = line.split(" @ ", 1)[0]
    match = PEP508.match(line)
    if not match:
        return None
    return match["name"], match["spec"].strip().strip("()").replace(" ", "")


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
    joined = re.sub(r"\\\r?\n", " ", text)
    for raw in joined.splitlines():
        line = raw.strip()
        if not line or line[0] == "#":
            continue
        if "#" in line:  # most lines have no comment: spare them the regex
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
                yield Package("pypi", egg[1], "", path, dev)
            continue
        if line.startswith("-") or "://" in line.split(" @ ")[0]:
            continue  # -c, -i, --hash…, or a bare URL
        line = re.sub(r"\s--hash[=\s]\S+", "", line)
        parsed = parse_requirement(line)
        if parsed is None:
            raise ManifestError(
                f"cannot read the requirement line “{raw.strip()[:80]}”"
            )
        yield Package("pypi", parsed[0], parsed[1], path, dev)


def _toml(text: str) -> dict[str, Any]:
    check_toml(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"not valid TOML ({error})") from error
    check_depth(data_depth(data))
    return data


def read_pyproject(text: str, path: str) -> list[Package]:
    """pyproject.toml: PEP 621 dependencies and extras, PEP 735 groups, Poetry."""
    data = _toml(text)
    packages: list[Package] = []

    def add(requirement: object, *, dev: bool) -> None:
        if isinstance(requirement, str) and (parsed := parse_requirement(requirement)):
            packages.append(Package("pypi", parsed[0], parsed[1], path, dev))

    project = data.get("project", {})
    for requirement in project.get("dependencies", []):
        add(requirement, dev=False)
    for extra in project.get("optional-dependencies", {}).values():
        for requirement in extra:
            add(requirement, dev=False)
    for group in data.get("dependency-groups", {}).values():
        for requirement in group:
            add(requirement, dev=True)  # include-group tables are skipped

    poetry = data.get("tool", {}).get("poetry", {})
    sections = [(poetry.get("dependencies", {}), False)]
    sections.append((poetry.get("dev-dependencies", {}), True))
    for name, group in poetry.get("group", {}).items():
        sections.append((group.get("dependencies", {}), name != "main"))
    for table, dev in sections:
        for name, spec in table.items():
            if name.lower() == "python":
                continue
            version = spec if isinstance(spec, str) else spec.get("version", "")
            packages.append(Package("pypi", name, str(version), path, dev))
    return packages


def read_pipfile(text: str, path: str) -> list[Package]:
    data = _toml(text)
    packages = []
    for section, dev in (("packages", False), ("dev-packages", True)):
        for name, spec in data.get(section, {}).items():
            version = spec if isinstance(spec, str) else spec.get("version", "")
            version = "" if version == "*" else version
            packages.append(Package("pypi", name, version, path, dev))
    return packages


# --- JavaScript, PHP --------------------------------------------------------


def _json(text: str) -> dict[str, Any]:
    check_json(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ManifestError(
            f"not valid JSON ({error.msg}, line {error.lineno})"
        ) from error
    if not isinstance(data, dict):
        raise ManifestError("expected a JSON object")
    return data


def read_package_json(text: str, path: str) -> Iterator[Package]:
    data = _json(text)
    for section, dev in (
        ("dependencies", False),
        ("devDependencies", True),
        ("optionalDependencies", False),
        ("peerDependencies", False),
    ):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise ManifestError(f"“{section}” should be an object")
        for name, version in table.items():
            yield Package("npm", name, str(version), path, dev)


def read_composer_json(text: str, path: str) -> Iterator[Package]:
    data = _json(text)
    for section, dev in (("require", False), ("require-dev", True)):
        for name, version in (data.get(section) or {}).items():
            if name == "php" or name.startswith(("ext-", "lib-")) or "/" not in name:
                continue
            yield Package("packagist", name, str(version), path, dev)


# --- Ruby, Go, Rust ---------------------------------------------------------

GEM = re.compile(
    r"""^\s*gem\s*(?:\(\s*)?["'](?P<name>[^"']+)["'](?:\s*,\s*["'](?P<version>[^"']+)["'])?"""
)


def read_gemfile(text: str, path: str) -> Iterator[Package]:
    dev_depth = 0
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"^group\b.*:(development|test)\b", stripped):
            dev_depth += 1
        elif stripped == "end" and dev_depth:
            dev_depth -= 1
        if match := GEM.match(line):
            yield Package(
                "rubygems", match["name"], match["version"] or "", path, bool(dev_depth)
            )


def read_go_mod(text: str, path: str) -> Iterator[Package]:
    # [ \t] rather than \s: \s also matches newlines, and a run of blank
    # lines would then be rescanned from every line start (quadratic).
    if not re.search(r"^[ \t]*module[ \t]+\S+", text, re.MULTILINE):
        raise ManifestError("no “module” line; is this a go.mod file?")
    in_block = False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip()
        indirect = "// indirect" in raw
        if line.startswith("require ("):
            in_block = True
            continue
        if in_block and line == ")":
            in_block = False
            continue
        if line.startswith("require "):
            line = line.removeprefix("require ").strip()
        elif not in_block:
            continue
        parts = line.split()
        if len(parts) >= 2 and not indirect:
            yield Package("gomod", parts[0], parts[1], path)


def read_cargo_toml(text: str, path: str) -> list[Package]:
    data = _toml(text)
    tables: list[tuple[dict[str, Any], bool]] = []
    for root in (data, data.get("workspace", {})):
        tables.append((root.get("dependencies", {}), False))
        tables.append((root.get("dev-dependencies", {}), True))
        tables.append((root.get("build-dependencies", {}), True))
    for target in data.get("target", {}).values():
        tables.append((target.get("dependencies", {}), False))
    packages = []
    for table, dev in tables:
        for name, spec in table.items():
            if isinstance(spec, dict):
                name = spec.get("package", name)
                version = str(spec.get("version", ""))
            else:
                version = str(spec)
            packages.append(Package("cargo", name, version, path, dev))
    return packages


# --- JVM ------------------------------------------------------------------


def read_pom_xml(text: str, path: str) -> list[Package]:
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise ManifestError("DOCTYPE and entity declarations are not accepted")
    try:
        root = parse_xml(text)  # no DOCTYPE, so no entity expansion
    except ET.ParseError as error:
        raise ManifestError(f"not valid XML ({error})") from error
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def text_of(node: ET.Element, tag: str) -> str:
        child = node.find(f"{namespace}{tag}")
        return (child.text or "").strip() if child is not None else ""

    packages = []
    parent = root.find(f"{namespace}parent")
    if parent is not None:
        packages.append(
            Package(
                "maven",
                f"{text_of(parent, 'groupId')}:{text_of(parent, 'artifactId')}",
                text_of(parent, "version"),
                path,
            )
        )
    for tag, dev in (("dependency", None), ("plugin", True)):
        for node in root.iter(f"{namespace}{tag}"):
            group = text_of(node, "groupId") or (
                "org.apache.maven.plugins" if tag == "plugin" else ""
            )
            artifact = text_of(node, "artifactId")
            if not group or not artifact:
                continue
            is_dev = dev if dev is not None else text_of(node, "scope") == "test"
            packages.append(
                Package(
                    "maven",
                    f"{group}:{artifact}",
                    text_of(node, "version"),
                    path,
                    is_dev,
                )
            )
    return packages


GRADLE_DEPENDENCY = re.compile(
    r"""\b(?P<conf>implementation|api|compileOnly|runtimeOnly|testImplementation|"""
    r"""testRuntimeOnly|androidTestImplementation|kapt|ksp|annotationProcessor|classpath)"""
    r"""\s*(?:\(\s*)?(?:platform\s*\(\s*)?["'](?P<coords>[^"':\s]+:[^"':\s]+)(?::(?P<version>[^"'\s]+))?["']"""
)
GRADLE_PLUGIN = re.compile(
    r"""\bid\s*(?:\(\s*)?["'](?P<id>[A-Za-z0-9_.-]+)["'](?:\s*\))?(?:\s*version\s*["'](?P<version>[^"']+)["'])?"""
)


def read_gradle(text: str, path: str) -> Iterator[Package]:
    """build.gradle and build.gradle.kts: dependency coordinates and plugin ids."""
    for match in GRADLE_DEPENDENCY.finditer(text):
        yield Package(
            "maven",
            match["coords"],
            match["version"] or "",
            path,
            match["conf"].startswith(("test", "androidTest")),
        )
    for match in GRADLE_PLUGIN.finditer(text):
        plugin = match["id"]
        yield Package(
            "maven", f"{plugin}:{plugin}.gradle.plugin", match["version"] or "", path
        )


# --- Containers and CI ------------------------------------------------------


def image_name(reference: str) -> tuple[str, str] | None:
    """ "docker.io/library/postgres:16-alpine" -> ("postgres", "16-alpine")."""
    reference = reference.strip().strip("\"'")
    if not reference or "$" in reference or reference == "scratch":
        return None
    reference = reference.split("@", 1)[0]
    name, tag = reference, ""
    last = reference.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = reference.rsplit(":", 1)
    for prefix in (
        "docker.io/library/",
        "docker.io/",
        "index.docker.io/library/",
        "library/",
    ):
        if name.startswith(prefix):
            name = name.removeprefix(prefix)
            break
    return name.lower(), tag


DOCKER_FROM = re.compile(
    r"^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*(?P<image>\S+)(?:[ \t]+AS[ \t]+(?P<stage>\S+))?",
    re.IGNORECASE | re.MULTILINE,
)


def read_dockerfile(text: str, path: str) -> Iterator[Package]:
    stages: set[str] = set()
    found = False
    # One search through the whole text rather than a match per line: a
    # file of blank lines costs no more than its length.
    for match in DOCKER_FROM.finditer(re.sub(r"\\\r?\n", " ", text)):
        found = True
        if match["stage"]:
            stages.add(match["stage"].lower())
        if match["image"].lower() in stages:
            continue
        if parsed := image_name(match["image"]):
            yield Package("docker", parsed[0], parsed[1], path)
    if not found:
        raise ManifestError("no FROM line; is this a Dockerfile?")


def _yaml(text: str) -> Any:
    import yaml

    # libyaml when it is installed (about six times faster), else PyYAML's own.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        check_yaml(text, loader)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        if "nesting depth" in str(getattr(error, "problem", "")):
            # libyaml's own limit (1,000 levels), met before our events arrive
            raise LimitError(f"nested more than {MAX_DEPTH} levels deep") from error
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ManifestError(f"not valid YAML{where}") from error


def read_compose(text: str, path: str) -> list[Package]:
    data = _yaml(text)
    if not isinstance(data, dict):
        raise ManifestError("expected a mapping with “services”")
    packages = []
    for service in (data.get("services") or {}).values():
        image = service.get("image") if isinstance(service, dict) else None
        if isinstance(image, str) and (parsed := image_name(image)):
            packages.append(Package("docker", parsed[0], parsed[1], path))
    return packages


def read_workflow(text: str, path: str) -> list[Package]:
    data = _yaml(text)
    if not isinstance(data, dict):
        raise ManifestError("expected a workflow mapping with “jobs”")
    packages = []

    def add(uses: object) -> None:
        if not isinstance(uses, str) or uses.startswith("./"):
            return
        if uses.startswith("docker://"):
            if parsed := image_name(uses.removeprefix("docker://")):
                packages.append(Package("docker", parsed[0], parsed[1], path, True))
            return
        name, _, ref = uses.partition("@")
        packages.append(Package("actions", name, ref, path, True))

    for job in (data.get("jobs") or {}).values():
        if not isinstance(job, dict):
            continue
        add(job.get("uses"))
        if isinstance(job.get("container"), str):
            add(f"docker://{job['container']}")
        for step in job.get("steps") or []:
            if isinstance(step, dict):
                add(step.get("uses"))
    return packages


# --- StackShare's techstack.yml ---------------------------------------------


def read_techstack(text: str, path: str) -> list[Package]:
    """StackShare's Stack File: a ``tools:`` list of named tools with websites."""
    data = _yaml(text)
    if not isinstance(data, dict) or not isinstance(data.get("tools"), list):
        raise ManifestError("expected a “tools:” list")
    packages = []
    for entry in data["tools"]:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            website = entry.get("website_url") or entry.get("website") or ""
            packages.append(
                Package(
                    "techstack",
                    entry["name"],
                    str(entry.get("version", "") or ""),
                    path,
                    website=str(website),
                )
            )
    return packages


# --- Which reader for which file --------------------------------------------

READERS: list[tuple[str, str, Reader]] = [
    ("package.json", "package.json", read_package_json),
    ("requirements*.txt", "requirements.txt", read_requirements),
    ("requirements/*.txt", "requirements.txt", read_requirements),
    ("pyproject.toml", "pyproject.toml", read_pyproject),
    ("Pipfile", "Pipfile", read_pipfile),
    ("Gemfile", "Gemfile", read_gemfile),
    ("go.mod", "go.mod", read_go_mod),
    ("Cargo.toml", "Cargo.toml", read_cargo_toml),
    ("composer.json", "composer.json", read_composer_json),
    ("pom.xml", "pom.xml", read_pom_xml),
    ("build.gradle", "build.gradle", read_gradle),
    ("build.gradle.kts", "build.gradle.kts", read_gradle),
    ("Dockerfile", "Dockerfile", read_dockerfile),
    ("Dockerfile.*", "Dockerfile", read_dockerfile),
    ("*.Dockerfile", "Dockerfile", read_dockerfile),
    ("docker-compose*.yml", "docker-compose.yml", read_compose),
    ("docker-compose*.yaml", "docker-compose.yml", read_compose),
    ("compose.yml", "docker-compose.yml", read_compose),
    ("compose.yaml", "docker-compose.yml", read_compose),
    (".github/workflows/*.yml", "GitHub workflow", read_workflow),
    (".github/workflows/*.yaml", "GitHub workflow", read_workflow),
    ("techstack.yml", "techstack.yml", read_techstack),
    ("techstack.yaml", "techstack.yml", read_techstack),
]
KINDS = {kind: reader for _, kind, reader in READERS}


def reader_for(path: str) -> tuple[str, Reader] | None:
    """The kind of manifest a path names, and its reader; None for other files."""
    pure = PurePosixPath(path)
    for pattern, kind, reader in READERS:
        if "/" in pattern:
            directory, _, name = pattern.rpartition("/")
            if str(pure.parent).endswith(directory) and fnmatch(pure.name, name):
                return kind, reader
        elif fnmatch(pure.name, pattern):
            return kind, reader
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
