"""Readers for Apple platforms: CocoaPods, Swift packages, Carthage, Xcode.

CocoaPods names a pod (``pod 'Alamofire'``); SwiftPM and Carthage name a
package by its git repository, so both are reported in the ``swiftpm``
ecosystem under the identity SwiftPM itself uses and Package URLs of type
``swift`` spell: ``github.com/alamofire/alamofire`` (see
``package_identity``). Lockfiles (``Podfile.lock``, ``Package.resolved``,
``Cartfile.resolved``) pin transitive packages too, so what only they name
counts as indirect; the direct ones come from the manifest (or, for an Xcode
app, from ``project.pbxproj``). No Django here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from scanner.manifests.package import (
    DEV,
    OPTIONAL,
    RUNTIME,
    VENDORED,
    ManifestError,
    Package,
    Reader,
    inferred,
    line_at,
    line_of,
)
from scanner.manifests.parsing import _json
from scanner.signals.kinds import presence

COCOAPODS = "cocoapods"
SWIFTPM = "swiftpm"


def package_identity(location: str) -> str:
    """ "https://github.com/Alamofire/Alamofire.git" -> "github.com/alamofire/alamofire".

    Also "git@github.com:owner/name.git", "github.com/owner/name" and a
    registry identity ("mona.LinkedList" -> "mona.linkedlist"). Hosts compare
    without case, and so do the repositories of the forges Swift packages live on.
    """
    text = location.strip().strip("\"'")
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^[^@/]+@", "", text)  # user@ (ssh or credentials)
    text = re.sub(r"^([^/:]+):(?!\d)", r"\1/", text)  # git@host:owner/name
    text = re.sub(r"^www\.", "", text, flags=re.IGNORECASE)
    text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return text.removesuffix(".git").lower()


# Target names of test bundles: "AppTests", "AppUITests", "AppSpecs".
TEST_TARGET = re.compile(r"(Tests?|Specs?)$")
# A Ruby line that opens a block closed by "end".
RUBY_OPENS = re.compile(
    r"^(?:(?:if|unless|def|case|begin|while|until|class|module)\b|.*\bdo(?:\s*\|[^|]*\|)?\s*$)"
)
POD = re.compile(r"""^pod\s*\(?\s*["'](?P<name>[^"']+)["'](?P<rest>.*)$""")
TARGET = re.compile(r"""^(?:abstract_)?target\s*\(?\s*["'](?P<name>[^"']+)["']""")


def read_podfile(text: str, path: str) -> Iterator[Package]:
    """Podfile: CocoaPods, and its pods (those of test targets as development)."""
    yield inferred("cocoapods", path, kind=DEV)
    blocks: list[bool] = []  # per open block: is it a test target?
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if "#" in raw else raw.strip()
        if not line:
            continue
        if line == "end" or line.startswith("end "):
            if blocks:
                blocks.pop()
            continue
        if match := POD.match(line):
            rest = match["rest"]
            kind = DEV if any(blocks) else RUNTIME
            if re.search(
                r"configurations?\s*(=>|:)\s*\[?\s*[\"']Debug[\"']\s*\]?", rest
            ):
                kind = DEV  # only in Debug builds
            if re.search(r"(:path\s*=>|\bpath:)", rest):
                kind = VENDORED  # a local pod: the project's own or copied-in code
            version = re.match(r"""\s*,\s*["']([^"']+)["']""", rest)
            yield Package(
                COCOAPODS,
                match["name"],
                version[1] if version else "",
                path,
                kind == DEV,
                line=number,
                kind=kind,
            )
            continue
        if target := TARGET.match(line):
            blocks.append(bool(TEST_TARGET.search(target["name"])) or any(blocks))
        elif RUBY_OPENS.match(line):
            blocks.append(any(blocks))


LOCK_ENTRY = re.compile(
    r"""^  - "?(?P<name>[^"\s(]+)(?: \((?P<version>[^)]*)\))?"?:?\s*$"""
)


def read_podfile_lock(text: str, path: str) -> Iterator[Package]:
    """Podfile.lock: the pods the Podfile asked for (DEPENDENCIES) and the
    ones they brought in (the rest of PODS, counted as indirect)."""
    if "PODS:" not in text:
        raise ManifestError("no “PODS:” section; is this a Podfile.lock?")
    yield inferred("cocoapods", path, kind=DEV)
    pods: dict[str, tuple[str, int]] = {}
    direct: set[str] = set()
    section = ""
    for number, raw in enumerate(text.splitlines(), 1):
        if raw and not raw[0].isspace():
            section = raw.rstrip(":").strip()
            continue
        match = LOCK_ENTRY.match(raw)
        if match is None:
            continue
        name = match["name"]
        if section == "PODS":
            pods.setdefault(name, (match["version"] or "", number))
        elif section == "DEPENDENCIES":
            direct.add(name)
    for name, (version, number) in pods.items():
        kind = RUNTIME if name in direct or name.split("/")[0] in direct else OPTIONAL
        yield Package(COCOAPODS, name, version, path, line=number, kind=kind)
    for name in direct - pods.keys():
        yield Package(COCOAPODS, name, "", path, line=line_of(text, name))


# ``.package(...)`` calls, one level of nested parentheses allowed inside.
SWIFT_PACKAGE = re.compile(r"\.package\s*\((?P<args>(?:[^()]|\([^()]*\))*)\)")
SWIFT_ARGUMENT = re.compile(r"\b(?P<key>url|id|path)\s*:\s*\"(?P<value>[^\"]+)\"")
SWIFT_VERSION = re.compile(
    r"(?:from|exact|branch|revision)\s*:\s*\"(?P<version>[^\"]+)\"|\"(?P<low>[^\"]+)\"\s*\.\.[.<]"
)
# A binary target downloaded from a repository's releases (SwiftLint's plugin).
SWIFT_BINARY = re.compile(
    r"\.binaryTarget\s*\([^)]*?url\s*:\s*\"https://(?P<repo>github\.com/[^/\"]+/[^/\"]+)/releases/"
)


def read_package_swift(text: str, path: str) -> Iterator[Package]:
    """Package.swift: Swift, SwiftPM, and the ``.package(url:)`` dependencies."""
    yield inferred("swift", path)
    yield inferred("swift-package-manager", path, kind=DEV)
    start = text.find("dependencies")
    for match in SWIFT_PACKAGE.finditer(text, max(start, 0)):
        arguments = {
            m["key"]: m["value"] for m in SWIFT_ARGUMENT.finditer(match["args"])
        }
        location = arguments.get("url") or arguments.get("id")
        if not location:
            continue  # .package(path:): a package of the same repository
        version = SWIFT_VERSION.search(match["args"])
        yield Package(
            SWIFTPM,
            package_identity(location),
            (version["version"] or version["low"]) if version else "",
            path,
            line=line_at(text, match.start()),
        )
    for match in SWIFT_BINARY.finditer(text):
        yield Package(
            SWIFTPM,
            package_identity(match["repo"]),
            "",
            path,
            line=line_at(text, match.start()),
        )


def read_package_resolved(text: str, path: str) -> Iterator[Package]:
    """Package.resolved (formats 1 to 3): every pinned package, counted as
    indirect since direct and transitive pins look alike."""
    data = _json(text)
    yield inferred("swift-package-manager", path, kind=DEV)
    pins = data.get("pins")
    if pins is None and isinstance(data.get("object"), dict):
        pins = data["object"].get("pins")  # version 1
    if not isinstance(pins, list):
        raise ManifestError("no “pins” list; is this a Package.resolved file?")
    for pin in pins:
        if not isinstance(pin, dict) or pin.get("kind") in {
            "localSourceControl",
            "fileSystem",
        }:
            continue
        location = (
            pin.get("location") or pin.get("repositoryURL") or pin.get("identity")
        )
        if not isinstance(location, str) or not location:
            continue
        state = pin.get("state")
        if not isinstance(state, dict):
            state = {}
        version = state.get("version") or state.get("branch") or ""
        yield Package(
            SWIFTPM,
            package_identity(location),
            str(version),
            path,
            line=line_of(text, location),
            kind=OPTIONAL,
        )


CARTFILE_LINE = re.compile(
    r"^(?P<origin>github|git|binary)\s+\"(?P<location>[^\"]+)\"(?P<rest>.*)$"
)


def read_cartfile(text: str, path: str) -> Iterator[Package]:
    """Cartfile, Cartfile.private (development) and Cartfile.resolved (pins)."""
    name = PurePosixPath(path).name
    kind = {"Cartfile.private": DEV, "Cartfile.resolved": OPTIONAL}.get(name, RUNTIME)
    yield inferred("carthage", path, kind=DEV)
    for number, raw in enumerate(text.splitlines(), 1):
        match = CARTFILE_LINE.match(raw.split("#", 1)[0].strip())
        if match is None or match["origin"] == "binary":
            continue  # a binary spec names a JSON file, not a package
        location = match["location"]
        if match["origin"] == "github" and "://" not in location:
            location = f"github.com/{location}"
        version = re.search(r"\"([^\"]+)\"|([~>=<]+\s*[\d.]+)", match["rest"])
        yield Package(
            SWIFTPM,
            package_identity(location),
            (version[1] or version[2]) if version else "",
            path,
            kind == DEV,
            line=number,
            kind=kind,
        )


PBX_PACKAGE = re.compile(r"^\s*repositoryURL\s*=\s*\"?(?P<url>[^\";\s]+)\"?\s*;", re.M)


OBJC_FILE = re.compile(r"^.*sourcecode\.c\.objc.*$", re.M)


def read_pbxproj(text: str, path: str) -> Iterator[Package]:
    """An Xcode project: Xcode, its source languages, and the Swift packages
    added to it (an app without Package.swift declares them only here)."""
    if "// !$*UTF8*$!" not in text[:100] and "objects" not in text[:4096]:
        raise ManifestError("not an Xcode project file")
    yield inferred("xcode", path, kind=DEV)
    if "sourcecode.swift" in text:
        yield inferred("swift", path, line_of(text, "sourcecode.swift"))
    for match in OBJC_FILE.finditer(text):
        # Flutter writes this registrant into every app's runner: no
        # Objective-C of the project's own.
        if "GeneratedPluginRegistrant" not in match[0]:
            yield inferred("objective-c", path, line_at(text, match.start()))
            break
    for match in PBX_PACKAGE.finditer(text):
        yield Package(
            SWIFTPM,
            package_identity(match["url"]),
            "",
            path,
            line=line_at(text, match.start()),
        )


# (pattern, kind, reader) as in ``manifests.READERS``.
SWIFT_READERS: list[tuple[str, str, Reader]] = [
    ("Podfile", "Podfile", read_podfile),
    ("Podfile.lock", "Podfile.lock", read_podfile_lock),
    ("Package.swift", "Package.swift", read_package_swift),
    ("Package.resolved", "Package.resolved", read_package_resolved),
    ("Cartfile", "Cartfile", read_cartfile),
    ("Cartfile.private", "Cartfile", read_cartfile),
    ("Cartfile.resolved", "Cartfile", read_cartfile),
    ("project.pbxproj", "project.pbxproj", read_pbxproj),
    # Configuration files that name the tool that reads them.
    (".swiftlint.yml", ".swiftlint.yml", presence("swiftlint", kind=DEV)),
    (".swiftformat", ".swiftformat", presence("swiftformat", kind=DEV)),
    ("Fastfile", "Fastfile", presence("fastlane", kind=DEV)),
    ("Project.swift", "Project.swift", presence("tuist", kind=DEV)),
    ("Dangerfile", "Dangerfile", presence("danger", kind=DEV)),
    ("Dangerfile.swift", "Dangerfile", presence("danger", kind=DEV)),
    ("dangerfile.js", "Dangerfile", presence("danger", kind=DEV)),
    ("dangerfile.ts", "Dangerfile", presence("danger", kind=DEV)),
    (".buildkite/pipeline.yml", "Buildkite pipeline", presence("buildkite")),
    ("bitrise.yml", "bitrise.yml", presence("bitrise")),
    ("codemagic.yaml", "codemagic.yaml", presence("codemagic")),
]
