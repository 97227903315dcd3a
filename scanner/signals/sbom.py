"""SBOMs (CycloneDX, SPDX) and the Package URLs that name their components."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from packageurl import PackageURL

from scanner.manifests.package import (
    OPTIONAL,
    RUNTIME,
    ManifestError,
    Package,
    line_of,
)
from scanner.manifests.parsing import _json

# Package URL types (https://github.com/package-url/purl-spec) and the
# ecosystems the catalog's aliases are spelled in.
PURL_TYPES = {
    "pypi": "pypi",
    "npm": "npm",
    "gem": "rubygems",
    "golang": "gomod",
    "cargo": "cargo",
    "composer": "packagist",
    "maven": "maven",
    "docker": "docker",
    "oci": "docker",
    "nuget": "nuget",
    "hex": "hex",
    "pub": "pub",
    "cocoapods": "cocoapods",  # a subspec is the subpath: ignored
    "swift": "swiftpm",  # namespace "github.com/owner", name the repository
    "github": "actions",
    "githubactions": "actions",
}


def from_purl(purl: str) -> tuple[str, str, str] | None:
    """ "pkg:pypi/flask@3.0" -> ("pypi", "flask", "3.0"); None for other types."""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    ecosystem = PURL_TYPES.get(parsed.type)
    if ecosystem is None:
        return None
    namespace, name = parsed.namespace or "", parsed.name
    if ecosystem == "maven":
        name = f"{namespace}:{name}" if namespace else name
    elif ecosystem == "npm" and namespace:
        name = f"{namespace}/{name}"  # "@scope/name"
    elif namespace:
        name = f"{namespace}/{name}"
    return ecosystem, name, parsed.version or ""


def read_sbom(text: str, path: str) -> Iterator[Package]:
    """A CycloneDX or SPDX SBOM (JSON): every component named by a Package URL.

    When the SBOM records the dependency graph, the components the project
    depends on directly count as runtime and the rest as indirect
    (``optional``); without a graph, every component counts.
    """
    data = _json(text)
    if data.get("bomFormat") == "CycloneDX":
        entries, direct = _cyclonedx(data)
    elif "spdxVersion" in data:
        entries, direct = _spdx(data)
    else:
        raise ManifestError("neither a CycloneDX nor an SPDX document")
    for ref, purl, scope in entries:
        parsed = from_purl(purl)
        if parsed is None:
            continue
        kind = RUNTIME
        if scope == "optional" or (direct is not None and ref not in direct):
            kind = OPTIONAL
        yield Package(
            parsed[0],
            parsed[1],
            parsed[2],
            path,
            line=line_of(text, purl),
            kind=kind,
        )


def _cyclonedx(data: dict[str, Any]) -> tuple[list[tuple[str, str, str]], Any]:
    entries = []
    for component in data.get("components") or []:
        if isinstance(component, dict) and isinstance(component.get("purl"), str):
            ref = str(component.get("bom-ref", component["purl"]))
            entries.append((ref, component["purl"], str(component.get("scope", ""))))
    root = (data.get("metadata") or {}).get("component") or {}
    root_ref = root.get("bom-ref") if isinstance(root, dict) else None
    direct = None
    for dependency in data.get("dependencies") or []:
        if isinstance(dependency, dict) and dependency.get("ref") == root_ref:
            direct = set(map(str, dependency.get("dependsOn") or []))
    return entries, direct


def _spdx(data: dict[str, Any]) -> tuple[list[tuple[str, str, str]], Any]:
    entries = []
    for package in data.get("packages") or []:
        if not isinstance(package, dict):
            continue
        for ref in package.get("externalRefs") or []:
            if isinstance(ref, dict) and ref.get("referenceType") == "purl":
                entries.append(
                    (str(package.get("SPDXID", "")), str(ref["referenceLocator"]), "")
                )
    roots = set(map(str, data.get("documentDescribes") or []))
    relationships = data.get("relationships") or []
    for relation in relationships:
        if (
            isinstance(relation, dict)
            and relation.get("relationshipType") == "DESCRIBES"
        ):
            roots.add(str(relation.get("relatedSpdxElement")))
    direct = {
        str(relation.get("relatedSpdxElement"))
        for relation in relationships
        if isinstance(relation, dict)
        and relation.get("relationshipType") == "DEPENDS_ON"
        and str(relation.get("spdxElementId")) in roots
    }
    return entries, direct or None
