"""Readers for the manifests of JavaScript, PHP, Ruby, Go and Rust (one file each)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scanner.manifests.package import (
    DEV,
    OPTIONAL,
    RUNTIME,
    ManifestError,
    Package,
    inferred,
    line_of,
)
from scanner.manifests.parsing import _json, _toml

# --- JavaScript, PHP --------------------------------------------------------


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
