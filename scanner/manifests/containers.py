"""Readers for containers: Dockerfiles (with what their ``RUN`` lines install) and compose files."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import PurePosixPath

from scanner.manifests.package import (
    RUNTIME,
    ManifestError,
    Package,
    inferred,
    line_at,
    line_of,
)
from scanner.manifests.parsing import _yaml
from scanner.manifests.python import parse_requirement


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
