"""Copy the files the scanner reads out of repository snapshots into the corpus.

    python3 -m scanner.evaluation.build_corpus GIT_DIR NAME OWNER/REPO [COMMIT]

GIT_DIR is a bare git directory (a snapshot of a public repository); NAME the
corpus folder under ``scanner/tests/data/repos/``. Only the files the scanner
would read (and the lockfiles whose names it notes) are kept, with a SOURCE
file naming the repository and commit. The expected stack (``expected.toml``)
is written by hand, from the repository's own files, not from this output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePosixPath

from scanner import SKIPPED_DIRS
from scanner.limits import MAX_FILE_SIZE
from scanner.manifests import reader_for
from scanner.signals import LOCKFILE_TOOLS

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "repos"


def git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(  # noqa: S603 - git, with our own arguments
        ["git", "--git-dir", git_dir, *args],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout


def wanted(path: str) -> bool:
    parts = PurePosixPath(path).parts
    if SKIPPED_DIRS.intersection(parts[:-1]):
        return False
    return parts[-1] in LOCKFILE_TOOLS or reader_for(path) is not None


def cut_pbxproj(data: bytes) -> bytes:
    """An Xcode project cut to what the scanner reads: its header, the first
    file reference of each source language, and the Swift package references
    (these files run to megabytes of build settings)."""
    kept, languages = [], set()
    lines = data.decode("utf-8", "replace").splitlines()
    for number, line in enumerate(lines):
        language = next(
            (t for t in ("sourcecode.swift", "sourcecode.c.objc") if t in line), None
        )
        if number == 0 or (language and language not in languages):
            if "GeneratedPluginRegistrant" not in line:  # see swift.read_pbxproj
                languages.add(language)
            kept.append(line)
        elif "repositoryURL" in line:
            kept += (
                [lines[number - 1], line] if "isa =" in lines[number - 1] else [line]
            )
    return "\n".join(kept).encode() + b"\n"


def build(git_dir: str, name: str, repository: str, commit: str = "HEAD") -> int:
    commit = git(git_dir, "rev-parse", commit).decode().strip()
    listing = git(git_dir, "ls-tree", "-r", "-l", "-z", commit).split(b"\0")
    target = CORPUS / name
    kept = 0
    cut = False
    for entry in filter(None, listing):
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob, size = meta.split()
        path = raw_path.decode("utf-8", "replace")
        if kind != b"blob" or mode == b"120000" or not wanted(path):
            continue
        out = target / "files" / path
        out.parent.mkdir(parents=True, exist_ok=True)
        if PurePosixPath(path).name in LOCKFILE_TOOLS:
            out.write_bytes(b"")  # only its name counts; its content is never read
        elif size != b"-" and int(size) > MAX_FILE_SIZE:
            out.write_bytes(b"")  # beyond the limit: its name is enough for the test
        elif PurePosixPath(path).name == "project.pbxproj":
            out.write_bytes(
                cut_pbxproj(git(git_dir, "cat-file", "blob", blob.decode()))
            )
            cut = True
        else:
            out.write_bytes(git(git_dir, "cat-file", "blob", blob.decode()))
        kept += 1
    (target / "SOURCE").write_text(
        f"repository: https://github.com/{repository}\ncommit: {commit}\n"
        "files: only those stackshare-scan reads, copied unchanged "
        "(lockfiles emptied: only their names count)"
        + (
            "; project.pbxproj cut to the lines the scanner reads "
            "(file types, Swift package references)"
            if cut
            else ""
        )
        + "\n"
    )
    return kept


if __name__ == "__main__":
    git_dir, name, repository, *at = sys.argv[1:5]
    print(f"{name}: {build(git_dir, name, repository, *at)} files")  # noqa: T201
