"""Readers for CI services' files: the service itself and the images its jobs run in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scanner.manifests.containers import image_name
from scanner.manifests.package import (
    CI,
    Package,
    Reader,
    inferred,
    line_of,
)
from scanner.manifests.parsing import _yaml


def ci_reader(service: str, *, image_keys: tuple[str, ...] = ("image",)) -> Reader:
    """The CI service itself, and the images its jobs run in (CI-only)."""

    def read(text: str, path: str) -> Iterator[Package]:
        yield inferred(service, path)
        data = _yaml(text)
        if not isinstance(data, dict):
            return
        for image in _images(data, image_keys):
            if parsed := image_name(image):
                yield Package(
                    "docker",
                    parsed[0],
                    parsed[1],
                    path,
                    True,
                    line=line_of(text, image),
                    kind=CI,
                )
        services = data.get("services")
        if service == "travis-ci" and isinstance(services, list):
            for name in services:
                if isinstance(name, str):
                    yield inferred(TRAVIS_SERVICES.get(name, name), path, kind=CI)

    read.__name__ = f"read_{service.replace('-', '_')}"
    return read


TRAVIS_SERVICES = {
    "postgresql": "postgresql",
    "mysql": "mysql",
    "redis-server": "redis",
}


def _images(data: Any, keys: tuple[str, ...]) -> Iterator[str]:
    """Every string (or ``name:``) under an ``image`` key, walked without recursion."""
    pending = [data]
    seen = 0
    while pending and seen < 10_000:
        node = pending.pop()
        seen += 1
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys:
                    if isinstance(value, str):
                        yield value
                    elif isinstance(value, dict) and isinstance(value.get("name"), str):
                        yield value["name"]
                    elif isinstance(value, list):
                        for entry in value:
                            if isinstance(entry, dict) and isinstance(
                                entry.get("image"), str
                            ):
                                yield entry["image"]
                else:
                    pending.append(value)
        elif isinstance(node, list):
            pending.extend(node)
