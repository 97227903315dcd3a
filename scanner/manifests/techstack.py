"""The reader for StackShare's own Stack File, ``techstack.yml``."""

from __future__ import annotations

from scanner.manifests.package import ManifestError, Package
from scanner.manifests.parsing import _yaml


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
