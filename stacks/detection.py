"""Turn what the scanner found into catalog tools: reads only, no writes.

Packages are matched to tools through their aliases (ecosystem and name,
spelled the way each registry compares names); the entries of a
``techstack.yml`` by tool name, then by website host; what a file implies
(``tool`` packages) by slug. Each match keeps its evidence (file, line, kind),
and its strongest kind decides whether the import pre-selects it. The caller
shows the result and adds what the editor confirms through
``services.import_into_stack``; ``services.preview_import`` also counts the
packages that matched nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify

import scanner
from stacks.models import Stack, StackItem
from stackshare.hostile import is_storable
from tools.models import Alias, Ecosystem, Tool, ToolStatus, normalize_package_name

MAX_PACKAGES = 2000
# Hosts that say nothing about which tool a website belongs to.
SHARED_HOSTS = {
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "npmjs.com",
    "www.npmjs.com",
    "pypi.org",
    "rubygems.org",
    "developer.mozilla.org",
    "en.wikipedia.org",
    "docs.microsoft.com",
    "learn.microsoft.com",
    "aws.amazon.com",
    "cloud.google.com",
    "azure.microsoft.com",
}


# The order kinds are shown in, strongest first, with how the page names them.
KIND_LABELS = {
    "runtime": "runtime dependency",
    "inferred": "inferred from the file",
    "dev": "development or test",
    "optional": "optional or indirect",
    "ci": "CI only",
    "vendored": "vendored, example or fixture code",
}
GROUPS = [
    ("stack", "Your stack", {"runtime", "inferred", "dev"}),
    ("optional", "Optional and indirect", {"optional"}),
    ("ci", "Only in continuous integration", {"ci"}),
    ("vendored", "In vendored, example or fixture code", {"vendored"}),
]


@dataclass
class Candidate:
    """A catalog tool found among the packages, with the packages that named it."""

    tool: Tool
    packages: list[scanner.Package] = field(default_factory=list)

    @property
    def evidence(self) -> list[scanner.Package]:
        """The packages that named it, strongest evidence first."""
        order = list(KIND_LABELS)
        return sorted(
            self.packages, key=lambda p: (order.index(p.kind), p.file, p.line)
        )

    @property
    def kind(self) -> str:
        """The strongest evidence's kind: a library the app depends on at run
        time is as much its stack as its framework."""
        return self.evidence[0].kind if self.packages else "runtime"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def selected(self) -> bool:
        """Pre-selected on import: part of the project's own stack."""
        return self.kind in scanner.SELECTED_KINDS

    @property
    def file(self) -> str:
        return self.evidence[0].file if self.packages else ""

    @property
    def where(self) -> str:
        """The strongest evidence as a person would cite it: "pyproject.toml:7"."""
        if not self.packages:
            return ""
        first = self.evidence[0]
        return f"{first.file}:{first.line}" if first.line else first.file

    @property
    def is_dev_only(self) -> bool:
        return all(package.dev for package in self.packages)


@dataclass
class Detected:
    """The outcome of matching: new tools, tools already listed, unknown packages."""

    matched: list[Candidate]
    present: list[Candidate]
    unknown: list[scanner.Package]
    warnings: list[scanner.Warning]
    files: list[str]

    @property
    def is_empty(self) -> bool:
        return not (self.matched or self.present or self.unknown)

    @property
    def selected(self) -> list[Candidate]:
        return [c for c in self.matched if c.selected]

    @property
    def groups(self) -> list[tuple[str, str, list[Candidate]]]:
        """The new tools by how much their evidence counts: (key, title, candidates)."""
        return [
            (key, title, found)
            for key, title, kinds in GROUPS
            if (found := [c for c in self.matched if c.kind in kinds])
        ]


def name_variants(ecosystem: str, name: str) -> list[str]:
    """The spellings an alias of this package may be stored under."""
    base = normalize_package_name(ecosystem, name)
    variants = [base, name.strip()]
    if ecosystem in {Ecosystem.PACKAGIST, Ecosystem.PYPI}:
        variants.append(base.lower())
    if ecosystem == Ecosystem.CARGO:
        variants += [base.replace("_", "-"), base.replace("-", "_")]
    if ecosystem == Ecosystem.GOMOD:
        variants.append(re.sub(r"/v\d+$", "", base))
    if ecosystem == Ecosystem.COCOAPODS and "/" in base:
        variants.append(base.split("/", 1)[0])  # a subspec: "firebase/analytics"
    if ecosystem == Ecosystem.ACTIONS:
        variants.append("/".join(base.split("/")[:2]))
    if ecosystem == Ecosystem.DOCKER:
        parts = base.split("/")
        if len(parts) > 1 and ("." in parts[0] or ":" in parts[0]):
            variants.append("/".join(parts[1:]))  # drop a registry host
    return list(dict.fromkeys(v for v in variants if v))


def website_host(url: str) -> str:
    return urlsplit(url.strip()).netloc.lower().removeprefix("www.")


def match_packages(
    packages: Iterable[scanner.Package],
    *,
    stack: Stack | None = None,
    warnings: Iterable[scanner.Warning] = (),
    files: Iterable[str] = (),
) -> Detected:
    """Match packages to approved tools in at most three queries.

    Aliases (one query), techstack.yml names and hosts (one query, only when
    there are such entries), and the stack's current tools (one query).
    """
    # Names read from uploaded files can hold anything; one with a NUL or a
    # lone surrogate names no tool, and PostgreSQL would refuse the query.
    packages = [p for p in list(packages)[:MAX_PACKAGES] if is_storable(p.name)]
    by_tool: dict[int, Candidate] = {}
    unknown: list[scanner.Package] = []

    aliased = [p for p in packages if p.ecosystem in Ecosystem.values]
    named = [p for p in packages if p.ecosystem in {"techstack", scanner.TOOL}]

    lookup: dict[tuple[str, str], Tool] = {}
    if aliased:
        wanted = {
            (p.ecosystem, variant)
            for p in aliased
            for variant in name_variants(p.ecosystem, p.name)
        }
        aliases = Alias.objects.filter(
            ecosystem__in={eco for eco, _ in wanted},
            name__in={name for _, name in wanted},
            tool__status=ToolStatus.APPROVED,
        ).select_related("tool__function__parent__parent")
        lookup = {(alias.ecosystem, alias.name): alias.tool for alias in aliases}
    for package in aliased:
        tool = next(
            (
                lookup[(package.ecosystem, variant)]
                for variant in name_variants(package.ecosystem, package.name)
                if (package.ecosystem, variant) in lookup
            ),
            None,
        )
        if tool is None:
            unknown.append(package)
        else:
            by_tool.setdefault(tool.pk, Candidate(tool)).packages.append(package)

    if named:
        for package, tool in _match_named(named):
            if tool is None:
                unknown.append(package)
            else:
                by_tool.setdefault(tool.pk, Candidate(tool)).packages.append(package)

    present_ids: set[int] = set()
    if stack is not None and by_tool:
        present_ids = set(
            StackItem.objects.filter(stack=stack, tool__in=by_tool).values_list(
                "tool", flat=True
            )
        )
    candidates = sorted(by_tool.values(), key=lambda c: c.tool.name.lower())
    return Detected(
        matched=[c for c in candidates if c.tool.pk not in present_ids],
        present=[c for c in candidates if c.tool.pk in present_ids],
        unknown=_unique_unknown(unknown),
        warnings=list(warnings),
        files=list(dict.fromkeys(files)),
    )


def _match_named(
    packages: list[scanner.Package],
) -> list[tuple[scanner.Package, Tool | None]]:
    """techstack.yml entries: by name (or slug), else by a website host only one tool has.

    Tools a file implies are named by their slug only.
    """
    names = {p.name.strip().lower() for p in packages if p.ecosystem != scanner.TOOL}
    slugs = {slugify(p.name) for p in packages}
    hosts = (
        {website_host(p.website) for p in packages if p.website} - SHARED_HOSTS - {""}
    )
    condition = Q(lower_name__in=names) | Q(slug__in=slugs)
    for host in hosts:
        condition |= Q(website__icontains=f"//{host}") | Q(
            website__icontains=f"//www.{host}"
        )
    tools = list(
        Tool.objects.approved()
        .annotate(lower_name=Lower("name"))
        .filter(condition)
        .select_related("function__parent__parent")
    )
    by_name = {tool.name.lower(): tool for tool in tools}
    by_slug = {tool.slug: tool for tool in tools}
    by_host: dict[str, list[Tool]] = {}
    for tool in tools:
        by_host.setdefault(tool.website_host, []).append(tool)
    result = []
    for package in packages:
        if package.ecosystem == scanner.TOOL:
            result.append((package, by_slug.get(package.name)))
            continue
        found = by_name.get(package.name.strip().lower()) or by_slug.get(
            slugify(package.name)
        )
        if found is None and package.website:
            same_host = by_host.get(website_host(package.website), [])
            found = same_host[0] if len(same_host) == 1 else None
        result.append((package, found))
    return result


def _unique_unknown(packages: list[scanner.Package]) -> list[scanner.Package]:
    seen = set()
    unique = []
    for package in sorted(packages, key=lambda p: (p.ecosystem, p.name.lower())):
        key = (
            package.ecosystem,
            normalize_package_name(package.ecosystem, package.name),
        )
        if key not in seen and package.ecosystem in {*Ecosystem.values, "techstack"}:
            seen.add(key)
            unique.append(package)
    return unique
