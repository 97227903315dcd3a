"""Check the catalog data files for the mistakes a loader would refuse.

Run: python3 tools/data/check_catalog.py [FILE ...]   (all tools_*.toml by default)
Standard library only, so it works before the project is installed.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# tools/keys.py is plain Python too: synonyms are checked with the very rules
# search compares names by.
sys.path.insert(0, str(HERE.parents[1]))
from tools.keys import synonym_problems  # noqa: E402

ECOSYSTEMS = {
    "pypi",
    "npm",
    "rubygems",
    "gomod",
    "cargo",
    "packagist",
    "maven",
    "docker",
    "nuget",
    "actions",
    "hex",
    "pub",
    "cocoapods",
    "swiftpm",
}
# Package URL types and the ecosystems they mean (scanner/signals.py has all).
PURL_TYPES = {
    "pypi": "pypi",
    "npm": "npm",
    "gem": "rubygems",
    "golang": "gomod",
    "cargo": "cargo",
    "composer": "packagist",
    "maven": "maven",
    "docker": "docker",
    "nuget": "nuget",
    "github": "actions",
    "hex": "hex",
    "pub": "pub",
    "cocoapods": "cocoapods",
    "swift": "swiftpm",
}
REQUIRED = {
    "name",
    "slug",
    "function",
    "website",
    "license",
    "open_source",
    "tagline",
    "description",
}
OPTIONAL = {
    "repository",
    "aliases",
    "github_stars",
    "github_forks",
    "alternatives",
    "tags",
    "successor",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REPOSITORY = re.compile(
    r"^https://(github\.com|gitlab\.com|codeberg\.org)/[\w.-]+/[\w.-]+$"
)
# Projects that keep their source on a forge of their own (GNU Savannah,
# Heptapod, GHC's GitLab...): the repository is there, not on GitHub.
OWN_FORGES = (
    "git.savannah.gnu.org/cgit",
    "foss.heptapod.net",
    "gitlab.haskell.org",
    "gitea.com",
    "git.deuxfleurs.fr",
    "sourceforge.net/projects",
    "svn.r-project.org",
    "git.launchpad.net",
    "hg.reportlab.com",
    "yhbt.net",
)
OWN_FORGE = re.compile(
    rf"^https://(?:{'|'.join(map(re.escape, OWN_FORGES))})/[\w./-]+$"
)


def function_slugs() -> set[str]:
    tree = tomllib.loads((HERE / "categories.toml").read_text())
    return {
        f["slug"]
        for layer in tree["layer"]
        for c in layer["category"]
        for f in c["function"]
    }


def check(paths: list[Path]) -> list[str]:
    functions = function_slugs()
    problems: list[str] = []
    seen: dict[str, str] = {}
    aliases: dict[str, str] = {}
    tools = []
    for path in paths:
        for tool in tomllib.loads(path.read_text())["tool"]:
            tools.append((path.name, tool))
    for file, tool in tools:
        where = f"{file}:{tool.get('slug')}"
        missing = REQUIRED - tool.keys()
        unknown = tool.keys() - REQUIRED - OPTIONAL
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
        if unknown:
            problems.append(f"{where}: unknown fields {sorted(unknown)}")
        slug = tool.get("slug", "")
        if not SLUG.match(slug):
            problems.append(f"{where}: bad slug")
        if slug in seen:
            problems.append(f"{where}: slug also in {seen[slug]}")
        seen[slug] = file
        if tool.get("function") not in functions:
            problems.append(f"{where}: unknown function {tool.get('function')!r}")
        for tag in tool.get("tags", []):
            if tag not in functions:
                problems.append(f"{where}: unknown tag {tag!r}")
        if len(tool.get("tagline", "")) > 90:
            problems.append(f"{where}: tagline over 90 characters")
        sentences = len(
            re.findall(r"[.!?](?:\s|$)", tool.get("description", "").strip())
        )
        if not 2 <= sentences <= 4:
            problems.append(
                f"{where}: description has {sentences} sentences, want 2 to 4"
            )
        repo = tool.get("repository", "")
        if repo and not (REPOSITORY.match(repo) or OWN_FORGE.match(repo)):
            problems.append(
                f"{where}: repository should be https://github.com/owner/name "
                "(or GitLab, Codeberg, or a project forge listed in OWN_FORGES)"
            )
        if not tool.get("website", "").startswith("https://"):
            problems.append(f"{where}: website should start with https://")
        for alias in tool.get("aliases", []):
            ecosystem, _, name = alias.partition(":")
            if ecosystem == "pkg":  # a Package URL: pkg:pypi/flask
                purl_type, _, name = name.partition("/")
                ecosystem = PURL_TYPES.get(purl_type, "")
            if ecosystem not in ECOSYSTEMS or not name:
                problems.append(f"{where}: bad alias {alias!r}")
            if alias in aliases and aliases[alias] != slug:
                problems.append(f"{where}: alias {alias!r} also on {aliases[alias]}")
            aliases[alias] = slug
    for file, tool in tools:
        for other in [
            *tool.get("alternatives", []),
            *([tool["successor"]] if "successor" in tool else []),
        ]:
            if other not in seen:
                problems.append(
                    f"{file}:{tool['slug']}: unknown alternative/successor {other!r}"
                )
    return problems


def check_synonyms(tools: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """synonyms.toml against every tool (see tools.keys.synonym_problems)."""
    path = HERE / "synonyms.toml"
    if not path.exists():
        return []
    return synonym_problems(
        tools=[(tool.get("name", ""), tool.get("slug", "?")) for _, tool in tools],
        synonyms=tomllib.loads(path.read_text()).get("synonyms", {}),
    )


if __name__ == "__main__":
    files = [Path(a) for a in sys.argv[1:]] or sorted(HERE.glob("tools_*.toml"))
    found = check(files)
    if not sys.argv[1:]:
        everything = [
            (f.name, tool)
            for f in files
            for tool in tomllib.loads(f.read_text()).get("tool", [])
        ]
        found += check_synonyms(everything)
    print(
        "\n".join(found)
        or f"ok: {sum(len(tomllib.loads(f.read_text())['tool']) for f in files)} tools"
    )
    sys.exit(1 if found else 0)
