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
import shlex
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from fnmatch import translate as fnmatch_translate
from itertools import islice
from pathlib import PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

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
MAX_INCLUDE_DEPTH = 10


# --- Python ---------------------------------------------------------------


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


def _toml(text: str) -> dict[str, Any]:
    check_toml(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ManifestError(f"not valid TOML ({error})") from error
    check_depth(data_depth(data))
    return data


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


PACKAGE_MANAGERS = {"npm": "npm", "yarn": "yarn", "pnpm": "pnpm", "bun": "bun"}


def read_package_json(text: str, path: str) -> Iterator[Package]:
    """package.json: Node.js, the package manager it names, every dependency table."""
    data = _json(text)
    yield inferred("nodejs", path)
    manager = data.get("packageManager")
    if isinstance(manager, str):
        slug = PACKAGE_MANAGERS.get(manager.split("@", 1)[0].strip().lower())
        if slug:
            yield inferred(slug, path, line_of(text, '"packageManager"'), DEV)
    if isinstance(data.get("volta"), dict):  # Volta pins the Node.js version
        yield inferred("volta", path, line_of(text, '"volta"'), DEV)
    scripts = data.get("scripts")
    if isinstance(scripts, dict) and any(
        isinstance(command, str) and "react-scripts test" in command
        for command in scripts.values()
    ):
        # Create React App's test command is Jest, bundled inside react-scripts.
        yield inferred("jest", path, line_of(text, "react-scripts test"), DEV)
    for section, kind in (
        ("dependencies", RUNTIME),
        ("devDependencies", DEV),
        ("optionalDependencies", OPTIONAL),
        ("peerDependencies", RUNTIME),
    ):
        table = data.get(section) or {}
        if not isinstance(table, dict):
            raise ManifestError(f"“{section}” should be an object")
        start = text.find(f'"{section}"')
        for name, version in table.items():
            yield Package(
                "npm",
                name,
                str(version),
                path,
                kind == DEV,
                line=line_of(text, f'"{name}"', max(start, 0)),
                kind=kind,
            )


def read_composer_json(text: str, path: str) -> Iterator[Package]:
    data = _json(text)
    yield inferred("php", path)
    yield inferred("composer", path, kind=DEV)
    for section, dev in (("require", False), ("require-dev", True)):
        for name, version in (data.get(section) or {}).items():
            if name == "php" or name.startswith(("ext-", "lib-")) or "/" not in name:
                continue
            yield Package(
                "packagist", name, str(version), path, dev, line=line_of(text, name)
            )


# --- Ruby, Go, Rust ---------------------------------------------------------

GEM = re.compile(
    r"""^\s*gem\s*(?:\(\s*)?["'](?P<name>[^"']+)["'](?:\s*,\s*["'](?P<version>[^"']+)["'])?"""
)


def read_gemfile(text: str, path: str) -> Iterator[Package]:
    yield inferred("ruby", path)
    yield inferred("bundler", path, kind=DEV)
    dev_depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if re.match(r"^group\b.*:(development|test)\b", stripped):
            dev_depth += 1
        elif stripped == "end" and dev_depth:
            dev_depth -= 1
        if match := GEM.match(line):
            yield Package(
                "rubygems",
                match["name"],
                match["version"] or "",
                path,
                bool(dev_depth),
                line=number,
            )


def read_go_mod(text: str, path: str) -> Iterator[Package]:
    # [ \t] rather than \s: \s also matches newlines, and a run of blank
    # lines would then be rescanned from every line start (quadratic).
    if not re.search(r"^[ \t]*module[ \t]+\S+", text, re.MULTILINE):
        raise ManifestError("no “module” line; is this a go.mod file?")
    yield inferred("golang", path, line_of(text, "module"))
    in_block = False
    for number, raw in enumerate(text.splitlines(), 1):
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
        if len(parts) >= 2:
            # An indirect requirement is one the project's own choices pulled in.
            kind = OPTIONAL if indirect else RUNTIME
            yield Package("gomod", parts[0], parts[1], path, line=number, kind=kind)


def read_cargo_toml(text: str, path: str) -> list[Package]:
    data = _toml(text)
    tables: list[tuple[dict[str, Any], bool]] = []
    packages = [inferred("rust", path), inferred("cargo", path, kind=DEV)]
    for root in (data, data.get("workspace", {})):
        tables.append((root.get("dependencies", {}), False))
        tables.append((root.get("dev-dependencies", {}), True))
        tables.append((root.get("build-dependencies", {}), True))
    for target in data.get("target", {}).values():
        tables.append((target.get("dependencies", {}), False))
    for table, dev in tables:
        for key, spec in table.items():
            name, kind = key, DEV if dev else RUNTIME
            if isinstance(spec, dict):
                name = spec.get("package", key)
                version = str(spec.get("version", ""))
                if spec.get("optional") and not dev:
                    kind = OPTIONAL
            else:
                version = str(spec)
            packages.append(
                Package(
                    "cargo",
                    name,
                    version,
                    path,
                    dev,
                    line=line_of(text, f"\n{key}"),
                    kind=kind,
                )
            )
    return packages


# --- JVM ------------------------------------------------------------------

# Packaging conventions whose artifact names a different tool than it seems:
# a Spring Boot starter stands for what it brings in.
SPRING_STARTERS = {
    "data-jpa": "hibernate",
    "test": "junit",
    "thymeleaf": "thymeleaf",
    "data-redis": "redis",
    "data-mongodb": "mongodb",
    "amqp": "rabbitmq",
    "data-elasticsearch": "elasticsearch",
    "security": "spring-security",
    "webflux": "spring-webflux",
    "batch": "spring-batch",
    "graphql": "graphql",
}
WEBJAR_GROUPS = {"org.webjars", "org.webjars.npm", "org.webjars.bower"}


# A Micrometer registry names the metrics backend it exports to: the package
# is Micrometer's (its alias), and the backend is in the stack too.
MICROMETER_REGISTRIES = {
    "prometheus": "prometheus",
    "prometheus-simpleclient": "prometheus",
    "datadog": "datadog",
    "influx": "influxdb",
    "new-relic": "new-relic",
    "elastic": "elasticsearch",
    "graphite": "graphite",
    "statsd": "statsd",
    "otlp": "opentelemetry",
    "cloudwatch2": "amazon-cloudwatch",
    "dynatrace": "dynatrace",
    "azure-monitor": "azure-monitor",
}


def jvm_conventions(package: Package) -> Iterator[Package]:
    """What a Maven coordinate means beyond itself (starters, WebJars, Kotlin,
    Micrometer registries)."""
    group, _, artifact = package.name.partition(":")
    line, kind = package.line, package.kind
    if group == "io.micrometer" and artifact.startswith("micrometer-registry-"):
        backend = artifact.removeprefix("micrometer-registry-")
        if slug := MICROMETER_REGISTRIES.get(backend):
            yield inferred(slug, package.file, line, kind)
    elif group in WEBJAR_GROUPS and artifact:
        # A WebJar repackages an npm (or Bower) package for the JVM.
        yield replace(package, ecosystem="npm", name=artifact.lower())
    elif group == "org.springframework.boot" and artifact.startswith(
        "spring-boot-starter"
    ):
        yield inferred("spring-boot", package.file, line, kind)
        starter = artifact.removeprefix("spring-boot-starter").removeprefix("-")
        if slug := SPRING_STARTERS.get(starter):
            yield inferred(slug, package.file, line, kind)
        elif starter.endswith("-test"):  # every test starter brings JUnit
            yield inferred("junit", package.file, line, DEV)
    elif group.startswith("org.jetbrains.kotlin") or artifact.startswith("kotlin-"):
        yield inferred("kotlin", package.file, line, kind)
    elif artifact == "com.android.application.gradle.plugin" or group.startswith(
        "com.android.tools.build"
    ):
        yield inferred("android", package.file, line)


def with_conventions(packages: Iterable[Package]) -> Iterator[Package]:
    for package in packages:
        yield package
        yield from jvm_conventions(package)


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

    packages = [inferred("java", path), inferred("maven", path, kind=DEV)]
    parent = root.find(f"{namespace}parent")
    if parent is not None:
        packages.append(
            Package(
                "maven",
                f"{text_of(parent, 'groupId')}:{text_of(parent, 'artifactId')}",
                text_of(parent, "version"),
                path,
                line=line_of(text, "<parent>"),
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
            optional = text_of(node, "optional") == "true"
            packages.append(
                Package(
                    "maven",
                    f"{group}:{artifact}",
                    text_of(node, "version"),
                    path,
                    is_dev,
                    line=line_of(text, f"<artifactId>{artifact}<"),
                    kind=DEV if is_dev else OPTIONAL if optional else RUNTIME,
                )
            )
    return list(with_conventions(packages))


GRADLE_DEPENDENCY = re.compile(
    r"""\b(?P<conf>implementation|api|compileOnly|runtimeOnly|testImplementation|"""
    r"""testRuntimeOnly|androidTestImplementation|kapt|ksp|annotationProcessor|classpath)"""
    r"""\s*(?:\(\s*)?(?:platform\s*\(\s*)?["'](?P<coords>[^"':\s]+:[^"':\s]+)(?::(?P<version>[^"'\s]+))?["']"""
)
GRADLE_PLUGIN = re.compile(
    r"""\bid\s*(?:\(\s*)?["'](?P<id>[A-Za-z0-9_.-]+)["'](?:\s*\))?(?:\s*version\s*["'](?P<version>[^"']+)["'])?"""
)


GRADLE_JAVA = re.compile(
    r"""\bjava(-library)?\b|JavaVersion|JavaCompile|sourceCompatibility|toolchain"""
)


def read_gradle(text: str, path: str) -> Iterator[Package]:
    """build.gradle and build.gradle.kts: dependency coordinates and plugin ids."""
    yield inferred("gradle", path, kind=DEV)
    if "kotlin" in text:
        yield inferred("kotlin", path)
    elif GRADLE_JAVA.search(text):
        # Only when the script says Java: a module built by convention
        # plugins (Now in Android's) names no language at all.
        yield inferred("java", path)
    yield from with_conventions(_gradle_packages(text, path))


def _gradle_packages(text: str, path: str) -> Iterator[Package]:
    for match in GRADLE_DEPENDENCY.finditer(text):
        yield Package(
            "maven",
            match["coords"],
            match["version"] or "",
            path,
            match["conf"].startswith(("test", "androidTest")),
            line=line_at(text, match.start()),
        )
    for match in GRADLE_PLUGIN.finditer(text):
        plugin = match["id"]
        yield Package(
            "maven",
            f"{plugin}:{plugin}.gradle.plugin",
            match["version"] or "",
            path,
            line=line_at(text, match.start()),
        )


def read_version_catalog(text: str, path: str) -> Iterator[Package]:
    """Gradle's version catalog (gradle/libs.versions.toml): libraries and plugins."""
    data = _toml(text)
    yield inferred("gradle", path, kind=DEV)
    found = []
    for key, entry in (data.get("libraries") or {}).items():
        if isinstance(entry, str):
            module = entry.rsplit(":", 1)[0] if entry.count(":") >= 2 else entry
        elif isinstance(entry, dict):
            module = entry.get("module") or f"{entry.get('group')}:{entry.get('name')}"
        else:
            continue
        test = bool(re.search(r"test|junit|mock|espresso", key, re.IGNORECASE))
        found.append(
            Package("maven", str(module), "", path, test, line=line_of(text, key))
        )
    for key, entry in (data.get("plugins") or {}).items():
        plugin = (
            entry.get("id") if isinstance(entry, dict) else str(entry).split(":")[0]
        )
        if plugin:
            found.append(
                Package(
                    "maven",
                    f"{plugin}:{plugin}.gradle.plugin",
                    "",
                    path,
                    line=line_of(text, key),
                )
            )
    yield from with_conventions(found)


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


DOCKER_RUN = re.compile(
    r"^[ \t]*RUN[ \t]+(?P<command>.*)$", re.IGNORECASE | re.MULTILINE
)
# System packages that are tools of their own; the rest (libraries, build
# headers, curl) say nothing about the stack.
SYSTEM_PACKAGES = {
    "nginx": "nginx",
    "postgresql": "postgresql",
    "postgresql-client": "postgresql",
    "redis": "redis",
    "redis-server": "redis",
    "nodejs": "nodejs",
    "python3": "python",
    "ruby": "ruby",
    "openjdk-17-jdk": "java",
    "openjdk-21-jdk": "java",
    "mariadb-client": "mariadb",
    "default-mysql-client": "mysql",
    "mysql-client": "mysql",
    "sqlite3": "sqlite",
    "imagemagick": "imagemagick",
    "ffmpeg": "ffmpeg",
    "supervisor": "supervisor",
    "memcached": "memcached",
}


def read_dockerfile(text: str, path: str) -> Iterator[Package]:
    """Docker itself, the FROM images, and what RUN lines install."""
    stages: set[str] = set()
    found = False
    # One search through the whole text rather than a match per line: a
    # file of blank lines costs no more than its length. Continuations are
    # joined by a separator that is not a newline to ``re``.
    # (Same length as the text, so offsets in one are offsets in the other.)
    joined = re.sub(r"\\[ \t]*\r?\n", lambda m: " " * (len(m[0]) - 1) + "\u2028", text)
    for match in DOCKER_FROM.finditer(joined):
        if not found:
            yield inferred("docker", path, line_at(text, match.start()))
        found = True
        if match["stage"]:
            stages.add(match["stage"].lower())
        if match["image"].lower() in stages:
            continue
        if parsed := image_name(match["image"]):
            yield Package(
                "docker", parsed[0], parsed[1], path, line=line_at(text, match.start())
            )
    if not found:
        raise ManifestError("no FROM line; is this a Dockerfile?")
    for match in DOCKER_RUN.finditer(joined):
        line = line_at(text, match.start())
        yield from installed_by(match["command"].replace("\u2028", ""), path, line)


def installed_by(command: str, path: str, line: int) -> Iterator[Package]:
    """Packages a shell command installs: pip, npm -g, gem, apt-get, apk."""
    for part in re.split(r"&&|;|\|\|", command):
        try:
            words = shlex.split(part)
        except ValueError:
            continue
        words = [w for w in words if w not in {"sudo", "-y", "--yes"}]
        while words and "=" in words[0]:  # VAR=value before the command
            words.pop(0)
        if len(words) < 3:
            continue
        tool, verb = PurePosixPath(words[0]).name, words[1]
        if tool.startswith("python") and words[1:3] == ["-m", "pip"] and len(words) > 3:
            tool, words = "pip", words[2:]
            verb = words[1]
        names = [w for w in words[2:] if not w.startswith("-")]
        if tool in {"pip", "pip3"} and verb == "install":
            if "-r" in words or "--requirement" in words:
                names = names[1:] if names else names
            for name in names:
                if (parsed := parse_requirement(name)) and "/" not in name:
                    yield Package("pypi", parsed[0], parsed[1], path, line=line)
        elif tool in {"npm", "yarn", "pnpm"} and verb in {"install", "i", "add"}:
            if "-g" in words or "--global" in words or verb == "add":
                for name in names:
                    yield Package(
                        "npm", name.rsplit("@", 1)[0] or name, "", path, line=line
                    )
        elif tool == "gem" and verb == "install":
            for name in names:
                yield Package("rubygems", name, "", path, line=line)
        elif (tool in {"apt-get", "apt"} and verb == "install") or (
            tool == "apk" and verb == "add"
        ):
            for name in names:
                if slug := SYSTEM_PACKAGES.get(name.split("=", 1)[0]):
                    yield inferred(slug, path, line, RUNTIME)


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
    # Compose starts its services as Docker containers.
    packages = [inferred("docker-compose", path), inferred("docker", path)]
    for service in (data.get("services") or {}).values():
        image = service.get("image") if isinstance(service, dict) else None
        if isinstance(image, str) and (parsed := image_name(image)):
            packages.append(
                Package("docker", parsed[0], parsed[1], path, line=line_of(text, image))
            )
    return packages


# Folders that keep a project's compose files under other names than
# compose.yml: JHipster's ``src/main/docker/app.yml``, ``postgresql.yml``...
COMPOSE_DIRS = {"docker", ".docker", "compose"}
COMPOSE_IN_FOLDER = "compose file"
_SERVICES = re.compile(r"^services:[ \t]*(?:#.*)?$", re.MULTILINE)


def read_folder_compose(text: str, path: str) -> list[Package]:
    """A YAML file of a docker folder is a compose file when it has
    ``services`` that run images or builds; other files there (a Prometheus
    or Grafana configuration) say nothing."""
    if not _SERVICES.search(text):
        return []
    data = _yaml(text)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or not any(
        isinstance(service, dict) and service.keys() & {"image", "build", "extends"}
        for service in services.values()
    ):
        return []
    return read_compose(text, path)


def action_kind(name: str) -> str:
    """An action that runs a tool (CodeQL, Codecov, golangci-lint, a release
    or deploy step) is the project's own tooling; GitHub's own plumbing
    (``actions/checkout``, ``actions/cache``) and one that only installs a
    language or runtime for a job count for CI alone."""
    owner, _, action = name.lower().partition("/")
    plumbing = owner == "actions" or action.startswith("setup-")
    return CI if plumbing or action.endswith("-setup") else DEV


# Rust's linter and formatter ship with the toolchain, so no manifest names
# them: the workflow that installs or runs them does.
RUST_COMPONENTS = {"clippy": "clippy", "rustfmt": "rustfmt", "fmt": "rustfmt"}
_CARGO_LINT = re.compile(
    r"\b(?:cargo\s+(?:\+\S+\s+)?(?P<command>clippy|fmt)\b"
    r"|rustup\s+component\s+add\s+(?P<components>[\w -]+))"
)


def rust_components(step: dict[str, Any], text: str) -> Iterator[tuple[str, int]]:
    """(slug, line) of clippy and rustfmt installed or run by a workflow step."""
    options = step.get("with")
    named = options.get("components") if isinstance(options, dict) else None
    if isinstance(named, str):
        line = line_of(text, f"components: {named}") or line_of(text, named)
        for word in re.split(r"[\s,]+", named):
            if word in RUST_COMPONENTS:
                yield RUST_COMPONENTS[word], line
    run = step.get("run")
    if isinstance(run, str):
        for match in _CARGO_LINT.finditer(run):
            words = (
                [match["command"]] if match["command"] else match["components"].split()
            )
            for word in words:
                if word in RUST_COMPONENTS:
                    yield RUST_COMPONENTS[word], line_of(text, match[0])


def read_workflow(text: str, path: str) -> list[Package]:
    data = _yaml(text)
    if not isinstance(data, dict):
        raise ManifestError("expected a workflow mapping with “jobs”")
    packages = [inferred("github-actions", path)]

    def add(uses: object) -> None:
        if not isinstance(uses, str) or uses.startswith("./"):
            return
        line = line_of(text, uses.removeprefix("docker://"))
        if uses.startswith("docker://"):
            if parsed := image_name(uses.removeprefix("docker://")):
                packages.append(
                    Package(
                        "docker", parsed[0], parsed[1], path, True, line=line, kind=CI
                    )
                )
            return
        name, _, ref = uses.partition("@")
        packages.append(
            Package("actions", name, ref, path, True, line=line, kind=action_kind(name))
        )

    for job in (data.get("jobs") or {}).values():
        if not isinstance(job, dict):
            continue
        add(job.get("uses"))
        if isinstance(job.get("container"), str):
            add(f"docker://{job['container']}")
        for step in job.get("steps") or []:
            if isinstance(step, dict):
                add(step.get("uses"))
                for slug, line in rust_components(step, text):
                    packages.append(inferred(slug, path, line, kind=DEV))
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

from scanner import signals, swift  # noqa: E402 - their readers build on the ones above

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
