"""The reader for GitHub Actions workflows: the actions and images they use, the Rust lints they run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scanner.manifests.containers import image_name
from scanner.manifests.package import CI, DEV, ManifestError, Package, inferred, line_of
from scanner.manifests.parsing import _yaml


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
