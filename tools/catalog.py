"""The curated catalog in tools/data/: read, check and load it.

``categories.toml`` holds the Layer > Category > Function tree, each
``tools_*.toml`` a share of the tools and ``synonyms.toml`` the other names
people type for them. Loading is idempotent: rows are
matched by slug (tools, categories) or package (aliases) and updated.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from stackshare.caching import STRUCTURE, bump
from stackshare.planner import analyze
from tools.keys import synonym_problems
from tools.logos import LOGO_DIR, check_logos
from tools.models import (
    Alias,
    Alternative,
    Category,
    CategoryLevel,
    SearchKey,
    Synonym,
    Tool,
    ToolStatus,
    normalize_package_name,
    parse_alias,
)
from tools.search import index_tools

DATA_DIR = Path(__file__).resolve().parent / "data"
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
TAGLINE_LENGTH = 90
# A description says what the tool is and why one would pick it: 2 to 4 sentences.
DESCRIPTION_SENTENCES = range(2, 5)
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
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


class CatalogError(ValueError):
    """The data files contradict themselves; the message lists every problem."""


@dataclass
class Catalog:
    tree: list[dict[str, Any]]
    tools: list[dict[str, Any]] = field(default_factory=list)
    # Tool slug -> the terms people also type for it.
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    @property
    def function_slugs(self) -> set[str]:
        return {
            f["slug"]
            for layer in self.tree
            for c in layer["category"]
            for f in c["function"]
        }


def read_catalog(data_dir: Path = DATA_DIR, logo_dir: Path | None = None) -> Catalog:
    """Parse the data files and the shipped logos' manifest and check them.

    Raise CatalogError on any problem.
    """
    tree = tomllib.loads((data_dir / "categories.toml").read_text())["layer"]
    catalog = Catalog(tree=tree)
    for path in sorted(data_dir.glob("tools_*.toml")):
        catalog.tools.extend(tomllib.loads(path.read_text()).get("tool", []))
    synonyms_file = data_dir / "synonyms.toml"
    if synonyms_file.exists():
        catalog.synonyms = tomllib.loads(synonyms_file.read_text()).get("synonyms", {})
    problems = check_catalog(catalog)
    problems += check_logos(
        slugs={t["slug"] for t in catalog.tools if t.get("slug")},
        logo_dir=logo_dir or LOGO_DIR,
    )
    if problems:
        raise CatalogError("\n".join(problems))
    return catalog


def check_catalog(catalog: Catalog) -> list[str]:
    """Every problem a load would trip on, or the catalog's rules forbid, one line each."""
    problems: list[str] = []
    functions = catalog.function_slugs
    slugs: set[str] = set()
    owners: dict[str, str] = {}
    for tool in catalog.tools:
        where = tool.get("slug", "?")
        if missing := REQUIRED - tool.keys():
            problems.append(f"{where}: missing {sorted(missing)}")
        if unknown := tool.keys() - REQUIRED - OPTIONAL:
            problems.append(f"{where}: unknown fields {sorted(unknown)}")
        if not SLUG.match(tool.get("slug", "")):
            problems.append(f"{where}: bad slug")
        if tool.get("slug") in slugs:
            problems.append(f"{where}: slug listed twice")
        slugs.add(tool.get("slug", ""))
        for node in [tool.get("function"), *tool.get("tags", [])]:
            if node not in functions:
                problems.append(f"{where}: unknown function {node!r}")
        problems += [f"{where}: {problem}" for problem in check_texts(tool)]
        for alias in tool.get("aliases", []):
            ecosystem, name = parse_alias(alias) or ("", "")
            if not ecosystem:
                problems.append(f"{where}: bad alias {alias!r}")
            key = f"{ecosystem}:{normalize_package_name(ecosystem, name)}"
            if owners.setdefault(key, where) != where:
                problems.append(
                    f"{where}: alias {alias!r} also belongs to {owners[key]}"
                )
    for tool in catalog.tools:
        for other in [
            *tool.get("alternatives", []),
            *filter(None, [tool.get("successor")]),
        ]:
            if other not in slugs:
                problems.append(
                    f"{tool.get('slug')}: unknown alternative or successor {other!r}"
                )
    problems += check_synonyms(catalog)
    return problems


def check_texts(tool: dict[str, Any]) -> list[str]:
    """What the catalog's writing rules say of one tool's tagline, description and links."""
    problems: list[str] = []
    if len(tool.get("tagline", "")) > TAGLINE_LENGTH:
        problems.append(f"tagline over {TAGLINE_LENGTH} characters")
    sentences = len(SENTENCE_END.findall(tool.get("description", "").strip()))
    if sentences not in DESCRIPTION_SENTENCES:
        problems.append(f"description has {sentences} sentences, want 2 to 4")
    repository = tool.get("repository", "")
    if repository and not (REPOSITORY.match(repository) or OWN_FORGE.match(repository)):
        problems.append(
            "repository should be https://github.com/owner/name "
            "(or GitLab, Codeberg, or a project forge listed in OWN_FORGES)"
        )
    if not tool.get("website", "").startswith("https://"):
        problems.append("website should start with https://")
    return problems


def check_synonyms(catalog: Catalog) -> list[str]:
    """Synonyms that name no tool, or that search would confuse with another
    tool's name, slug or synonym."""
    return synonym_problems(
        tools=[(t.get("name", ""), t.get("slug", "?")) for t in catalog.tools],
        synonyms=catalog.synonyms,
    )


@dataclass
class LoadReport:
    categories: int = 0
    tools_created: int = 0
    tools_updated: int = 0
    aliases: int = 0
    alternatives: int = 0
    synonyms: int = 0
    search_keys: int = 0


@transaction.atomic
def load_catalog(catalog: Catalog) -> LoadReport:
    """Create or update every category, tool, alias, alternative and synonym in
    the catalog, and the catalog tools' search keys.

    Synonyms added in the back office are kept.

    GitHub numbers from the file are only a starting point: once a tool has
    been synced from GitHub, the synced numbers are kept.
    """
    report = LoadReport()
    nodes: dict[str, Category] = {}
    for level, parent_slug, position, node in _walk_tree(catalog.tree):
        category, _ = Category.objects.update_or_create(
            slug=node["slug"],
            defaults={
                "name": node["name"],
                "description": node.get("description", ""),
                "level": level,
                "parent": nodes.get(parent_slug) if parent_slug else None,
                "position": position,
            },
        )
        nodes[category.slug] = category
        report.categories += 1

    existing = {
        tool.slug: tool
        for tool in Tool.objects.filter(slug__in=[t["slug"] for t in catalog.tools])
    }
    for entry in catalog.tools:
        tool = existing.get(entry["slug"]) or Tool(
            slug=entry["slug"], status=ToolStatus.APPROVED
        )
        created = tool.pk is None
        tool.name = entry["name"]
        tool.function = nodes[entry["function"]]
        tool.website = entry["website"]
        tool.repository_url = entry.get("repository", "")
        tool.license = entry["license"]
        tool.is_open_source = entry["open_source"]
        tool.tagline = entry["tagline"]
        tool.description = entry["description"].strip()
        if tool.github_synced_at is None:
            tool.github_stars = entry.get("github_stars")
            tool.github_forks = entry.get("github_forks")
        tool.save()
        existing[tool.slug] = tool
        report.tools_created += created
        report.tools_updated += not created

    for entry in catalog.tools:
        tool = existing[entry["slug"]]
        tool.tags.set(
            [nodes[slug] for slug in entry.get("tags", []) if slug != entry["function"]]
        )
        if successor := entry.get("successor"):
            Tool.objects.filter(pk=tool.pk).update(
                is_deprecated=True, successor=existing[successor]
            )
        for alias in entry.get("aliases", []):
            ecosystem, name = parse_alias(alias) or ("", "")
            Alias.objects.update_or_create(
                ecosystem=ecosystem,
                name=normalize_package_name(ecosystem, name),
                defaults={"tool": tool},
            )
            report.aliases += 1
        for position, slug in enumerate(entry.get("alternatives", [])):
            Alternative.objects.update_or_create(
                tool=tool, alternative=existing[slug], defaults={"position": position}
            )
            report.alternatives += 1
    for slug, terms in catalog.synonyms.items():
        for term in terms:
            Synonym.objects.update_or_create(
                term=term.strip(), defaults={"tool": existing[slug]}
            )
            report.synonyms += 1
    report.search_keys = index_tools(tool_ids=[tool.pk for tool in existing.values()])
    # A first load fills these tables: plan the next queries on what they hold.
    analyze(Category, Tool, Alias, Alternative, Synonym, SearchKey)
    bump(STRUCTURE)
    return report


def _walk_tree(
    tree: list[dict[str, Any]],
) -> list[tuple[int, str | None, int, dict[str, Any]]]:
    """Every node of the tree, parents before children: (level, parent slug, position, node)."""
    nodes: list[tuple[int, str | None, int, dict[str, Any]]] = []
    for i, layer in enumerate(tree):
        nodes.append((CategoryLevel.LAYER, None, i, layer))
        for j, category in enumerate(layer["category"]):
            nodes.append((CategoryLevel.CATEGORY, layer["slug"], j, category))
            nodes.extend(
                (CategoryLevel.FUNCTION, category["slug"], k, function)
                for k, function in enumerate(category["function"])
            )
    return nodes
