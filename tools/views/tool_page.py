"""The tool page and its alternatives page: the sections every reader shares and what the reader did."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial

from django.conf import settings
from django.db.models import OuterRef
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.views.decorators.http import require_safe

from changes.models import tool_changes
from decisions.models import Decision
from stacks.models import ToolPairing, ToolUsers
from stackshare.caching import (
    cache_page,
    kept,
    member_copy,
    stamps,
    tool_content_version,
    tool_versions,
)
from stackshare.toggles import reader_state
from stackshare.types import acting_member
from stackups.models import Stackup
from tools.forms import ProConForm
from tools.models import (
    Alternative,
    ProCon,
    ProConKind,
    ProConVote,
    Tool,
    ToolFollow,
    ToolMute,
    ToolRedirect,
    ToolVote,
)

TOP_PROCONS = 5
ALTERNATIVES_SHOWN = 6
DECISIONS_SHOWN = 5
STACKUPS_SHOWN = 3


def get_tool_or_redirect(slug: str) -> Tool | HttpResponsePermanentRedirect:
    """The approved tool with this slug, or a permanent redirect from an old slug."""
    tool = (
        Tool.objects.approved()
        .with_category_path()
        .select_related("successor")
        .filter(slug=slug)
        .first()
    )
    if tool is not None:
        return tool
    return redirect_from_old_slug(slug)


def redirect_from_old_slug(slug: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect from a merged or renamed tool's slug, else a 404."""
    moved = ToolRedirect.objects.select_related("tool").filter(old_slug=slug).first()
    if moved is not None and moved.tool.is_approved:
        return HttpResponsePermanentRedirect(moved.tool.get_absolute_url())
    raise Http404("No tool has this address.")


def alternatives_for(
    tool: Tool, *, limit: int = ALTERNATIVES_SHOWN
) -> tuple[list[Tool], bool]:
    """Curated alternatives, else the most used tools of the same function;
    returns the tools and whether they were curated.

    Performance: two queries, the curated keys, then those tools or the
    function's; the function's walk index ``tool_ranked_in_function`` in
    ranking order and stop at ``limit``. As one query with an OR,
    PostgreSQL sorted every tool of the function (800 at scale 1).
    """
    approved = Tool.objects.approved().with_category_path()
    curated_ids = list(
        Alternative.objects.filter(tool=tool).values_list("alternative_id", flat=True)
    )
    if curated_ids:
        curated = list(approved.filter(pk__in=curated_ids).ranked()[:limit])
        if curated:
            return curated, True
    same_function = approved.filter(function_id=tool.function_id).exclude(pk=tool.pk)
    return list(same_function.ranked()[:limit]), False


@require_safe
@cache_page(tool_versions, params=(), reader=member_copy)  # see browse.tool_list
def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Anonymous readers share the whole page from the page cache, and each
    # member has a copy of their own: whatever they do to the tool (follow,
    # vote, mute, points and votes on them) bumps its versions. Its parts are
    # kept too, so that after a follow or a vote (which move the page's
    # versions, not its sections') the page is rendered without their queries.
    shared = SharedToolPage.of(slug)
    if shared is None:
        return redirect_from_old_slug(slug)
    return render(
        request,
        "tools/tool_detail.html",
        tool_page_context(request, shared, ProConForm()),
    )


class SharedToolPage:
    """What every reader of a tool page sees, from the shared cache.

    Performance: both parts are kept under the tool's versions
    (stackshare.caching). The tool is read on every view, for the page's
    title and its fragments' keys; the sections only when a fragment has to
    be rendered, so a page served from its fragments unpickles the tool alone
    and costs only the queries about its reader. The tool and its counters
    are kept under all its versions, the sections under its content's alone
    (``tool_content_version``), which follows and votes leave alone.
    """

    def __init__(
        self, tool: Tool, version: str, content_version: str, seconds: int
    ) -> None:
        self.tool = tool
        # The tool's versions' values, read once for everything the page keeps.
        self.version = version
        self.content_version = content_version
        self.seconds = seconds

    @classmethod
    def of(cls, slug: str, *, keep: bool = True) -> SharedToolPage | None:
        """The page of the approved tool with this slug; None when there is none."""
        seconds = settings.PAGE_CACHE_SECONDS if keep else 0
        version = content_version = ""
        if seconds:
            values = stamps(
                [*tool_versions({"slug": slug}), tool_content_version(slug)]
            )
            version = "-".join(values)
            content_version = "-".join([values[0], values[-1]])
        tool = kept(
            f"tool:{slug}:{version}",
            lambda: (
                Tool.objects.approved()
                .with_category_path()
                .select_related("successor")
                .filter(slug=slug)
                .first()
            ),
            seconds=seconds,
        )
        return None if tool is None else cls(tool, version, content_version, seconds)

    # Two entries: the pros and cons, which the page renders for every
    # reader (their votes), and the rest, read only when a kept fragment
    # has to be rendered again.
    @cached_property
    def procons(self) -> dict[str, object]:
        return kept(
            f"tool-procons:{self.tool.slug}:{self.content_version}",
            self.build_procons,
            seconds=self.seconds,
        )

    @cached_property
    def sections(self) -> dict[str, object]:
        return kept(
            f"tool-sections:{self.tool.slug}:{self.content_version}",
            self.build,
            seconds=self.seconds,
        )

    def section(self, name: str) -> object:
        if name in {"pros", "cons"}:
            return self.procons[name]
        return self.sections[name]

    def lazy_sections(self) -> dict[str, Callable[[], object]]:
        """The sections as template variables, fetched on first use: the
        template language calls a callable variable when it resolves it."""
        return {name: partial(self.section, name) for name in SHARED_SECTIONS}

    def build_procons(self) -> dict[str, object]:
        procons = list(
            ProCon.objects.visible().filter(tool=self.tool).top_per_kind(TOP_PROCONS)
        )
        return {
            "pros": [procon for procon in procons if procon.kind == ProConKind.PRO],
            "cons": [procon for procon in procons if procon.kind == ProConKind.CON],
        }

    def build(self) -> dict[str, object]:
        tool = self.tool
        alternatives, curated = alternatives_for(tool)
        return {
            "alternatives": alternatives,
            "alternatives_curated": curated,
            "aliases": list(tool.aliases.all()),
            # The sections other apps fill; their services bump the tool's
            # version when what they show here changes.
            "decisions": list(
                Decision.objects.visible()
                .tagging(tool)
                .with_cards()
                .newest()[:DECISIONS_SHOWN]
            ),
            "users": ToolUsers.of(tool),
            "often_used_with": ToolPairing.objects.often_used_with([tool]),
            # Moves in and out, monthly adoption (changes app; 3 queries).
            "changes": tool_changes(tool),
            # Most viewed changes as views are flushed; it may lag by the
            # cache's lifetime, which "most viewed" can afford.
            "stackups": list(
                Stackup.objects.including([tool])
                .with_tools()
                .most_viewed()[:STACKUPS_SHOWN]
            ),
        }


SHARED_SECTIONS = [
    "pros",
    "cons",
    "alternatives",
    "alternatives_curated",
    "aliases",
    "decisions",
    "users",
    "often_used_with",
    "changes",
    "stackups",
]


def tool_page_context(
    request: HttpRequest, shared: SharedToolPage, procon_form: ProConForm
) -> dict[str, object]:
    tool = shared.tool

    def state() -> dict[str, object]:
        procons = [*shared.section("pros"), *shared.section("cons")]  # type: ignore[misc]  # sections are built as Any-typed cached values (tools.views.tool_page.SharedToolPage)
        return member_state(request, tool, procons)

    if request.user.is_authenticated:
        # Performance: what this reader did to the tool changes only through
        # writes that bump the tool's version, so it is kept under it too.
        reader = kept(
            f"member-state:{request.user.pk}:{tool.slug}:{shared.version}", state
        )
    else:
        reader = ANONYMOUS_STATE
    return {
        "tool": tool,
        **shared.lazy_sections(),
        "with_stats": True,
        "procon_form": procon_form,
        **reader,
        # A form with errors is its reader's own: its fragments are
        # rendered, neither read nor kept.
        "fragment_seconds": 0 if procon_form.is_bound else shared.seconds,
        "fragment_version": shared.version,
        "content_version": shared.content_version,
    }


ANONYMOUS_STATE: dict[str, object] = {
    "is_following": False,
    "has_voted": False,
    "is_muted": False,
    "voted_procons": frozenset(),
    "own_procons": frozenset(),
}


def member_state(
    request: HttpRequest, tool: Tool, procons: list[ProCon]
) -> dict[str, object]:
    """What the signed-in reader has done to this tool: follows, votes, mutes,
    and which of its points are their own."""
    user = acting_member(request)
    return {
        **reader_state(
            tool,
            is_following=ToolFollow.objects.filter(user=user, tool=OuterRef("pk")),
            has_voted=ToolVote.objects.filter(user=user, tool=OuterRef("pk")),
            is_muted=ToolMute.objects.filter(user=user, tool=OuterRef("pk")),
        ),
        "voted_procons": set(
            ProConVote.objects.filter(
                user=user, procon__in=[p.pk for p in procons]
            ).values_list("procon_id", flat=True)
        )
        if procons
        else set(),
        "own_procons": {p.pk for p in procons if p.author_id == user.pk},
    }


@require_safe
@cache_page(tool_versions, params=())  # see browse.tool_list
def tool_alternatives(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_tool_or_redirect(slug)
    if isinstance(found, HttpResponsePermanentRedirect):
        return found
    alternatives, curated = alternatives_for(found, limit=24)
    return render(
        request,
        "tools/tool_alternatives.html",
        {"tool": found, "alternatives": alternatives, "alternatives_curated": curated},
    )
