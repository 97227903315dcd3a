"""What a finding counts for, given the folder of its file (vendored, docs, devcontainer, tests)."""

from __future__ import annotations

from pathlib import PurePosixPath

from scanner.manifests import DEV, INFERRED, OPTIONAL, RUNTIME, VENDORED

# Folders of code that is not the project's own: what is found there is
# reported, but as "vendored" (unticked on import).
VENDORED_DIRS = {
    "third_party",
    "third-party",
    "thirdparty",
    "external",
    "extern",
    "examples",
    "example",
    "samples",
    "sample",
    "fixtures",
    "__fixtures__",
    "testdata",
    "test-data",
    "demo",
    "demos",
    "playground",
    "templates",
    "template",
    "skeleton",
}
# Folders of tests and documentation: their runtime dependencies are the
# project's development dependencies.
DEV_DIRS = {
    "tests",
    "test",
    "e2e",
    "docs",
    "doc",
    "benchmarks",
    "bench",
    "integration-tests",
}


# Folders of a documentation site: a package.json there is a project of its
# own (Docusaurus, VitePress, a Hugo theme's build), not the app.
DOCS_SITE_DIRS = {"docs", "doc", "documentation", "website", "docs-site", "site-docs"}
# The optional contributor environment: what it installs is offered, unticked.
DEVCONTAINER_DIR = ".devcontainer"


def evidence_kind(path: str, kind: str) -> str:
    """What a finding counts for, given the folder of the file it came from."""
    pure = PurePosixPath(path)
    folders = [part.lower() for part in pure.parts[:-1]]
    if any(
        part in VENDORED_DIRS or part.startswith(("external-", "vendored"))
        for part in folders
    ):
        return VENDORED
    if ".github" in folders[1:]:
        # GitHub runs only the root's workflows: a nested .github belongs to a
        # sub-project kept in the repository (a documentation site's own).
        return VENDORED
    if kind not in {RUNTIME, INFERRED, DEV}:
        return kind
    if pure.name == "package.json" and any(
        part in DOCS_SITE_DIRS or part.endswith("-docs") for part in folders
    ):
        return VENDORED
    if DEVCONTAINER_DIR in folders:
        return OPTIONAL
    if kind != DEV and DEV_DIRS.intersection(folders):
        return DEV
    return kind
