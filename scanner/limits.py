"""What one manifest, one scan and one import may cost, and parsers that keep to it.

A manifest comes from whoever uploads it, so every format is read with a
bound on its size and on how deeply it nests, and YAML also on how far its
aliases expand. The numbers come from real repositories (sizes measured in
December 2026):

- the largest manifests we found: Apache Camel's parent ``pom.xml`` (210 KB),
  Airflow's ``pyproject.toml`` (88 KB), a ``requirements.txt`` with pip's
  hashes (warehouse, 33 KB), Sentry's self-hosted ``docker-compose.yml``
  (24 KB), Kubernetes' ``go.mod`` (13 KB), PyTorch's largest workflow
  (14 KB), VS Code's ``package.json`` (6 KB);
- a stack file written by this scanner takes about 180 bytes per package, so
  2,000 packages (what one import shows at most) is about 360 KB.

So a file may have up to 512 KiB, and one import 512 KiB in all: room for the
largest manifest with its neighbours, or for a stack file of 2,000 packages,
which is how a large repository is best imported. YAML and TOML cost more per
byte: up to 1.4 s per MB of CPU for YAML with libyaml (4.5 s in pure Python)
and for TOML (tomllib is pure Python; dotted keys of many parts cost it most),
against 0.05 to 0.3 s for JSON, XML and the line formats (measured on files
built to be as slow as the limits allow). So one import reads at most 128 KiB
of YAML and TOML together, and the worst import costs about 0.3 s of parsing.

Lockfiles (``package-lock.json``, ``yarn.lock``, ``poetry.lock``,
``Cargo.lock``…) are not read: they list every transitive package (VS Code's
``package-lock.json`` is 746 KB), while a stack is what a project chose,
which its manifests declare. They are named in a warning instead.

Real manifests nest a handful of levels (a workflow about eight); anything
deeper than ``MAX_DEPTH`` is refused before the parser recurses into it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

KIB = 1024
MAX_FILE_SIZE = 512 * KIB
MAX_IMPORT_SIZE = 512 * KIB
# Formats slower to parse than their size suggests: a file, and one import, may
# have this much of them.
MAX_SLOW_SIZE = 128 * KIB
SLOW_KINDS = {
    "docker-compose.yml",
    "compose file",
    "GitHub workflow",
    "techstack.yml",
    "pyproject.toml",
    "Pipfile",
    "Cargo.toml",
    "libs.versions.toml",
    "pubspec.yaml",
    ".travis.yml",
    ".gitlab-ci.yml",
    "CircleCI config",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    "fly.toml",
    "netlify.toml",
    "render.yaml",
    "railway.json",
    "wrangler.toml",
}
MAX_PACKAGES = 2000
MAX_DEPTH = 64
# Nodes of a YAML document once its aliases are expanded: a large compose
# file has a few thousand; an alias bomb ("billion laughs") has billions.
MAX_YAML_NODES = 50_000
LOCKFILES = {
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "uv.lock",
    "Cargo.lock",
    "Gemfile.lock",
    "composer.lock",
    "go.sum",
    "gradle.lockfile",
    "bun.lock",
    "mix.lock",
    "pubspec.lock",
}


class LimitError(ValueError):
    """A file beyond what the scanner reads; the message says which limit."""


def size_limit(kind: str) -> int:
    return MAX_SLOW_SIZE if kind in SLOW_KINDS else MAX_FILE_SIZE


def human_size(size: int) -> str:
    """512 KB, 1 MB, 1.3 MB (in binary units, as the limits are)."""
    if size < 1024 * KIB:
        return f"{size // KIB} KB"
    return f"{size / KIB / KIB:.1f}".removesuffix(".0") + " MB"


@dataclass
class Budget:
    """What one import may still read, shared by all of its files.

    Each file is charged before it is parsed; once a limit is reached the
    remaining files are skipped with a warning, so the work of one import
    stays bounded however many files it brings.
    """

    size: int = MAX_IMPORT_SIZE
    slow_size: int = MAX_SLOW_SIZE
    packages: int = MAX_PACKAGES

    def charge(self, kind: str, size: int) -> None:
        """Take a file's size from what is left, or refuse it (``LimitError``)."""
        slow = kind in SLOW_KINDS
        if self.packages <= 0:
            raise LimitError(
                f"not read: this import already found {MAX_PACKAGES:,} packages"
            )
        if size > self.size:
            raise LimitError(
                f"not read: one import reads {human_size(MAX_IMPORT_SIZE)} in all"
            )
        if slow and size > self.slow_size:
            raise LimitError(
                f"not read: one import reads {human_size(MAX_SLOW_SIZE)} "
                "of YAML and TOML in all"
            )
        self.size -= size
        if slow:
            self.slow_size -= size


# --- Nesting before parsing -------------------------------------------------

JSON_SKIP = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
TOML_SKIP = re.compile(
    r'"""[\s\S]*?"""'
    r"|'''[\s\S]*?'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
)
NOT_BRACKET = re.compile(r"[^\[\]{}]+")
# A dotted TOML key ("a.b.c = 1", "[a.b.c]") nests a table per part; tomllib
# takes time quadratic in the number of parts, so long ones are refused first.
MAX_KEY_PARTS = 8
DOTTED_KEY = re.compile(rf"(?:[\w-]*[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}")
STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def bracket_depth(text: str) -> int:
    """How deeply brackets nest in text already stripped of strings, in one linear pass."""
    brackets = NOT_BRACKET.sub("", text)
    return max(accumulate(map(STEP.__getitem__, brackets)), default=0)


def check_depth(depth: int) -> None:
    if depth > MAX_DEPTH:
        raise LimitError(f"nested more than {MAX_DEPTH} levels deep")


def check_json(text: str) -> None:
    """Refuse JSON nested too deeply before ``json.loads`` recurses into it."""
    check_depth(bracket_depth(JSON_SKIP.sub("", text)))


def check_toml(text: str) -> None:
    """Refuse TOML whose arrays, inline tables or dotted keys nest too deeply."""
    bare = TOML_SKIP.sub("", text)
    check_depth(bracket_depth(bare))
    if DOTTED_KEY.search(bare):
        raise LimitError(f"a dotted key of more than {MAX_KEY_PARTS} parts")


def data_depth(data: Any) -> int:
    """The depth of parsed data, walked without recursion (TOML's dotted keys nest too)."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            pending.extend((child, depth + 1) for child in node)
    return deepest


# --- YAML ---------------------------------------------------------------------


def check_yaml(text: str, loader: Any) -> None:
    """Walk the YAML events once: refuse deep nesting and aliases that expand too far.

    The events come from the same parser that loads the document afterwards,
    one at a time, so a hostile file is stopped after ``MAX_DEPTH`` levels or
    ``MAX_YAML_NODES`` nodes, before the composer recurses or an alias bomb
    is expanded by whoever walks the result.
    """
    import yaml

    sizes: dict[str | None, int] = {}
    # One [anchor, expanded size] per open collection; the bottom one is the stream.
    open_: list[list[Any]] = [[None, 0]]
    parser = loader(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                open_.append([event.anchor, 1])
                check_depth(len(open_) - 1)
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_.pop()
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            else:
                continue
            if anchor:
                sizes[anchor] = size
            open_[-1][1] += size
            if open_[-1][1] > MAX_YAML_NODES:
                raise LimitError(
                    f"more than {MAX_YAML_NODES:,} values once its aliases are expanded"
                )
    finally:
        parser.dispose()


# --- XML ----------------------------------------------------------------------

XML_CHUNK = 64 * KIB


def parse_xml(text: str) -> ET.Element:
    """Parse XML element by element, refusing it once it nests too deeply."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    depth = 0

    def follow() -> None:
        nonlocal root, depth
        # Only "start" and "end" are asked for: each is an (event, element)
        # pair, which typeshed cannot tell from the other kinds of event.
        for event, element in parser.read_events():  # type: ignore[misc]
            if event == "start":
                depth += 1
                check_depth(depth)
                if root is None and isinstance(element, ET.Element):
                    root = element
            else:
                depth -= 1

    for start in range(0, len(text), XML_CHUNK):
        parser.feed(text[start : start + XML_CHUNK])
        follow()
    parser.close()
    follow()
    if root is None:
        raise ET.ParseError("no element found")
    return root
