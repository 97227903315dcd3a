"""The answers behind the assistant's tools: the pages' reads, as data.

Plain synchronous functions over the QuerySets and services the pages and
the API use (the search ranking, the tool page's shared sections, the
stackup's comparison reads, the migration moves, the scanner and its
matcher); ``assistant.server`` runs them off the event loop. They read only
what every anonymous reader may see, and refuse bad arguments with a
``ToolError`` whose message says what to change.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from mcp.server.mcpserver.exceptions import ToolError

import scanner
from api import serializers as s
from assistant import schemas
from changes.models import Move, migration_url
from decisions.models import Decision
from scanner.manifests import reader_for
from stacks.detection import match_packages
from stacks.models import Company, ToolPairing
from stackshare.caching import FOUND, STRUCTURE, kept, tool_version, tool_versions
from stackups import comparison
from stackups.models import SEPARATOR
from stackups.services import Resolved, UnknownStackupError, resolve
from tools.models import ProCon, Tool, ToolRedirect
from tools.search import search_tools as ranked_tools
from tools.search import suggest_tools
from tools.views.tool_page import ToolPage

# Bounds on what one call may ask for; the tool signatures repeat them so
# that the published input schemas state them too.
MAX_SEARCH = 25
MAX_COMPANIES = 50
MAX_DECISIONS = 25
MAX_MOVES = 50
MAX_ALSO_USING = 3
COMPARISON_DECISIONS = 10
EXCERPT_LENGTH = 500
UNKNOWN_SHOWN = 100
# A folder to scan is walked first to see that it is a project, not a disk:
# at most this many entries (files and folders, outside the folders the
# scanner skips) and this many manifests.
MAX_SCAN_ENTRIES = 20_000
MAX_SCAN_MANIFESTS = 300


def absolute(path: str) -> str:
    """The public address of a page, from the site's base URL."""
    return settings.SITE_URL + path


class SiteRequest:
    """What the API serializers ask of a request: absolute addresses.

    There is no HTTP request behind a tool call (over stdio there is none at
    all), so links are built from ``SITE_URL``, like the digests' e-mails.
    """

    def build_absolute_uri(self, location: str) -> str:
        return absolute(location)


SERIALIZER_CONTEXT = {"request": SiteRequest()}


def cached[T](name: str, versions: list[str], build: Callable[[], T]) -> T:
    """An answer kept in the shared cache under the versions of the page it
    comes from, so it changes exactly when that page does (built every time
    when ``PAGE_CACHE_SECONDS`` is 0, as in tests)."""
    return kept(f"mcp:{name}", build, versions=versions)


# --- Finding tools --------------------------------------------------------------


def clean_slug(slug: str) -> str:
    return slug.strip().lower()


def find_tool(slug: str) -> Tool:
    """The approved tool with this slug, or with this old slug (merged or
    renamed tools), else a ToolError suggesting the nearest names."""
    slug = clean_slug(slug)
    tools = Tool.objects.approved().with_category_path()
    tool = tools.filter(slug=slug).first()
    if tool is not None:
        return tool
    moved = moved_slug(slug)
    if moved is not None:
        return tools.get(slug=moved)
    raise ToolError(unknown_tool_message(slug))


def moved_slug(slug: str) -> str | None:
    """Where an old slug now leads, as the tool page's redirect does."""
    return (
        ToolRedirect.objects.filter(old_slug=slug, tool__status="approved")
        .values_list("tool__slug", flat=True)
        .first()
    )


def unknown_tool_message(slug: str) -> str:
    suggestions = suggest_tools(slug.replace("-", " "))
    message = f"No tool in the catalog has the slug “{slug[:100]}”."
    if suggestions:
        named = ", ".join(f"{tool.slug} ({tool.name})" for tool in suggestions)
        message += f" Did you mean: {named}?"
    return message + " Use search_tools to find a tool's slug."


def tool_url(slug: str) -> str:
    return absolute(reverse("tools:detail", kwargs={"slug": slug}))


def ref(tool: Tool) -> schemas.ToolRef:
    return schemas.ToolRef(slug=tool.slug, name=tool.name, url=tool_url(tool.slug))


def summaries(tools: Iterable[Tool]) -> list[dict[str, Any]]:
    """The API's catalog view of tools (they need ``with_category_path``)."""
    return list(
        s.ToolSerializer(list(tools), many=True, context=SERIALIZER_CONTEXT).data
    )


def paired(tools: Iterable[Tool]) -> list[schemas.PairedTool]:
    return [
        schemas.PairedTool(
            slug=tool.slug,
            name=tool.name,
            url=tool_url(tool.slug),
            stacks_together=tool.together,  # type: ignore[attr-defined]  # set on the instance here, an attribute django-stubs cannot see
        )
        for tool in tools
    ]


def points(procons: Iterable[ProCon]) -> list[schemas.Point]:
    return [schemas.Point(text=p.text, votes=p.vote_count) for p in procons]


def decision_summaries(decisions: Iterable[Decision]) -> list[schemas.DecisionSummary]:
    """Posts as the API shows them (they need ``with_cards``), the text cut
    to an excerpt and each tagged tool with its page."""
    found = []
    for data in s.DecisionSerializer(
        list(decisions), many=True, context=SERIALIZER_CONTEXT
    ).data:
        body = data["body"]
        excerpt = body if len(body) <= EXCERPT_LENGTH else body[:EXCERPT_LENGTH] + "…"
        for tag in data["tools"]:
            tag["tool"]["url"] = tool_url(tag["tool"]["slug"])
        found.append(
            schemas.DecisionSummary.model_validate({**data, "excerpt": excerpt})
        )
    return found


def moves(rows: Iterable[Mapping[str, Any]]) -> list[schemas.Move]:
    """Grouped move rows (``MoveQuerySet.involving`` or ``among``)."""
    return [
        schemas.Move(
            from_tool=schemas.ToolRef(
                slug=row["from_tool__slug"],
                name=row["from_tool__name"],
                url=tool_url(row["from_tool__slug"]),
            ),
            to_tool=schemas.ToolRef(
                slug=row["to_tool__slug"],
                name=row["to_tool__name"],
                url=tool_url(row["to_tool__slug"]),
            ),
            teams=row["teams"],
            url=absolute(migration_url(row["from_tool__slug"], row["to_tool__slug"])),
        )
        for row in rows
    ]


# --- The answers ------------------------------------------------------------------


def search_tools(*, query: str, limit: int) -> schemas.SearchAnswer:
    """The catalog search page's ranking (tools.search)."""
    query = " ".join(query.split())
    if not query:
        raise ToolError("Give a few words to search for, e.g. “postgres”.")

    def build() -> schemas.SearchAnswer:
        found = ranked_tools(
            query, tools=Tool.objects.approved().with_category_path(), limit=limit
        )[:limit]
        path = reverse("search:kind", kwargs={"kind": "tools"})
        return schemas.SearchAnswer.model_validate(
            {
                "query": query,
                "url": absolute(f"{path}?{urlencode({'q': query})}"),
                "tools": summaries(found),
            }
        )

    # Kept like the search page: counts may lag (stackshare.caching).
    return cached(f"search:{limit}:{query}", [STRUCTURE, FOUND], build)


def get_tool(*, slug: str) -> schemas.ToolAnswer:
    """What the tool page shows every reader, from the same sections."""
    tool = find_tool(slug)
    return cached(
        f"tool:{tool.slug}",
        tool_versions({"slug": tool.slug}),
        lambda: tool_answer(ToolPage.of(tool)),
    )


def tool_answer(page: ToolPage) -> schemas.ToolAnswer:
    tool = page.tool
    return schemas.ToolAnswer.model_validate(
        {
            **summaries([tool])[0],
            "description": tool.description,
            "successor": ref(tool.successor) if tool.successor else None,
            "pros": points(page.pros),
            "cons": points(page.cons),
            "alternatives": [ref(t) for t in page.alternatives],
            "alternatives_curated": page.alternatives_curated,
            "often_used_with": paired(page.often_used_with),
            "companies": [
                schemas.CompanyRef(
                    slug=c.slug, name=c.name, url=absolute(c.get_absolute_url())
                )
                for c in page.users.companies
            ],
            "more_companies": page.users.has_more_companies,
            "decisions": decision_summaries(page.decisions),
            "came_from": moves(page.changes.came_from),
            "went_to": moves(page.changes.went_to),
            "stackups": [
                schemas.StackupRef(
                    title=stackup.title, url=absolute(stackup.get_absolute_url())
                )
                for stackup in page.stackups
            ],
        }
    )


def compare_tools(*, slugs: list[str]) -> schemas.ComparisonAnswer:
    """The stackup page's reads: the tools, their top pros and cons, the
    posts about them, the moves between them, what their stacks also use."""
    try:
        resolved = resolve(SEPARATOR.join(clean_slug(slug) for slug in slugs))
    except UnknownStackupError as problem:
        raise ToolError(f"{problem} Use search_tools to find a tool's slug.") from None
    versions = [STRUCTURE, *(tool_version(tool.slug) for tool in resolved.tools)]
    return cached(
        f"compare:{resolved.slug}", versions, lambda: comparison_answer(resolved)
    )


def comparison_answer(resolved: Resolved) -> schemas.ComparisonAnswer:
    tools = resolved.tools
    procons = {entry.tool.pk: entry for entry in comparison.top_procons(tools)}
    decisions = (
        Decision.objects.visible()
        .tagging_any(tools)
        .with_cards()[:COMPARISON_DECISIONS]
    )
    compared = [
        {
            **summary,
            "pros": points(procons[tool.pk].pros),
            "cons": points(procons[tool.pk].cons),
        }
        for tool, summary in zip(tools, summaries(tools), strict=True)
    ]
    return schemas.ComparisonAnswer.model_validate(
        {
            "title": " vs ".join(tool.name for tool in tools),
            "url": absolute(
                reverse("stackups:detail", kwargs={"slugs": resolved.slug})
            ),
            "tools": compared,
            "decisions": decision_summaries(decisions),
            "moves": moves(Move.objects.among(tools)),
            "often_used_with": paired(
                tool
                for tool in ToolPairing.objects.often_used_with(tools)
                if tool not in tools
            ),
        }
    )


def companies_using(
    *, slug: str, also_using: list[str], limit: int
) -> schemas.CompaniesAnswer:
    """Companies whose stacks list the tool (and every other one named),
    most followed first, as on the companies page filtered by tool."""
    named = list(dict.fromkeys(clean_slug(other) for other in also_using))
    named = [other for other in named if other != clean_slug(slug)]
    if len(named) > MAX_ALSO_USING:
        raise ToolError(f"Name at most {MAX_ALSO_USING} more tools in also_using.")
    tools = [find_tool(slug), *(find_tool(other) for other in named)]

    def build() -> schemas.CompaniesAnswer:
        companies = Company.objects.all()
        for tool in tools:
            companies = companies.using_tool(tool)
        found = list(companies.most_followed()[: limit + 1])
        url = reverse("stacks:company_list") + "?" + urlencode({"tool": tools[0].slug})
        return schemas.CompaniesAnswer.model_validate(
            {
                "tools": [ref(tool) for tool in tools],
                "url": absolute(url),
                "companies": s.CompanySerializer(
                    found[:limit], many=True, context=SERIALIZER_CONTEXT
                ).data,
                "more": len(found) > limit,
            }
        )

    # A stack gaining or losing one of these tools bumps that tool's
    # version, as for the tool page's list of companies; follower counts
    # (the order) may lag like that list's.
    slugs = [tool.slug for tool in tools]
    return cached(
        f"companies:{limit}:{'+'.join(slugs)}",
        [STRUCTURE, *(tool_version(slug) for slug in slugs)],
        build,
    )


def decisions_about(
    *, slug: str, kind: str | None, limit: int
) -> schemas.DecisionsAnswer:
    """Visible posts tagging the tool, newest first, as on its page."""
    tool = find_tool(slug)

    def build() -> schemas.DecisionsAnswer:
        decisions = Decision.objects.visible().tagging(tool).with_cards().newest()
        query = {"tool": tool.slug}
        if kind:
            decisions = decisions.filter(kind=kind)
            query["kind"] = kind
        found = list(decisions[: limit + 1])
        return schemas.DecisionsAnswer(
            tool=ref(tool),
            url=absolute(reverse("decisions:list") + "?" + urlencode(query)),
            decisions=decision_summaries(found[:limit]),
            more=len(found) > limit,
        )

    # Posting, editing or hiding a post bumps its tools' versions, which the
    # tool page's list of posts is kept under too.
    return cached(
        f"decisions:{kind or 'all'}:{limit}:{tool.slug}",
        tool_versions({"slug": tool.slug}),
        build,
    )


def migrations(*, slug: str, direction: str, limit: int) -> schemas.MigrationsAnswer:
    """Moves out of the tool (``from``) or into it (``to``), most teams
    first: the tool page's "came from" and "went to" in full."""
    tool = find_tool(slug)
    leaving = direction == "from"

    def build() -> schemas.MigrationsAnswer:
        rows = [
            row
            for row in Move.objects.involving(tool)
            if (row["from_tool_id"] == tool.pk) == leaving
        ]
        return schemas.MigrationsAnswer(
            tool=ref(tool),
            direction=direction,  # type: ignore[arg-type]  # one of the literal's two values, checked by the caller
            moves=moves(rows[:limit]),
        )

    # Moves bump their tools' versions, which the migration pages rely on.
    return cached(
        f"moves:{direction}:{limit}:{tool.slug}",
        tool_versions({"slug": tool.slug}),
        build,
    )


# --- Scanning a repository -------------------------------------------------------------


def folder_to_scan(path: str, *, roots: list[Path]) -> Path:
    """The folder, if it is safe to scan, else a ToolError saying why.

    The rule: scanning is on only where the server was given roots; the
    path must be absolute, exist, be a directory, and lie inside a root
    once symbolic links are resolved; and it must look like a project (see
    MAX_SCAN_ENTRIES), since one call reads every manifest below it.
    """
    if not roots:
        raise ToolError(
            "Scanning is off on this server: it was started without a --scan-root."
        )
    if "\x00" in path or not path.strip():
        raise ToolError("Give the absolute path of a repository's folder.")
    given = Path(path.strip()).expanduser()
    if not given.is_absolute():
        raise ToolError(f"“{path[:200]}” is not an absolute path.")
    try:
        folder = given.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ToolError(f"“{path[:200]}” does not exist.") from None
    if not folder.is_dir():
        raise ToolError(f"“{path[:200]}” is not a folder.")
    if not any(folder.is_relative_to(root.resolve()) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        raise ToolError(
            f"“{path[:200]}” is outside the folders this server may scan ({allowed})."
        )
    entries = manifests = 0
    for directory, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if name not in scanner.SKIPPED_DIRS]
        entries += len(dirnames) + len(filenames)
        base = Path(directory).relative_to(folder).as_posix()
        manifests += sum(
            reader_for(name if base == "." else f"{base}/{name}") is not None
            for name in filenames
        )
        if entries > MAX_SCAN_ENTRIES or manifests > MAX_SCAN_MANIFESTS:
            raise ToolError(
                f"“{path[:200]}” holds too much to scan in one call (over "
                f"{MAX_SCAN_ENTRIES:,} files or {MAX_SCAN_MANIFESTS} manifests); "
                "give the folder of one project."
            )
    return folder


def scan_repository(*, path: str, roots: list[Path]) -> schemas.ScanAnswer:
    """Run the scanner on a folder and match its findings to catalog tools.

    Read only: unlike an import (``stacks.services.preview_import``), the
    unknown packages are not counted as demand for new tools.
    """
    folder = folder_to_scan(path, roots=roots)
    result = scanner.scan(folder)
    detected = match_packages(
        result.packages, warnings=result.warnings, files=result.files
    )
    candidates = [*detected.matched, *detected.present]
    findings = [
        {
            "tool": summary,
            "packages": [
                f"{package.ecosystem}:{package.name} ({package.file})"
                for package in candidate.evidence
            ],
        }
        for candidate, summary in zip(
            candidates, summaries(c.tool for c in candidates), strict=True
        )
    ]
    return schemas.ScanAnswer.model_validate(
        {
            "path": str(folder),
            "files": detected.files,
            "tools": findings,
            "unknown": [
                f"{package.ecosystem}:{package.name}"
                for package in detected.unknown[:UNKNOWN_SHOWN]
            ],
            "unknown_count": len(detected.unknown),
            "warnings": [f"{w.file}: {w.message}" for w in detected.warnings],
        }
    )
