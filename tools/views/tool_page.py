"""The tool page and its alternatives page: the sections every reader shares and what the reader did."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db.models import Exists, OuterRef, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import render
from django.views.decorators.http import require_safe

from changes.models import Move, ToolChanges, tool_changes
from decisions.models import Decision
from stacks.models import ToolPairing, ToolUsers
from stackshare.caching import cache_page, member_copy, tool_versions
from stackshare.plans import keeps_plans
from stackshare.toggles import reader_state
from stackshare.types import acting_member
from stackups.models import Stackup, StackupTool
from tools.forms import ProConForm
from tools.models import (
    Alias,
    Alternative,
    ProCon,
    ProConVote,
    Tool,
    ToolFollow,
    ToolMute,
    ToolQuerySet,
    ToolRedirect,
    ToolVote,
)

TOP_PROCONS = 5
ALTERNATIVES_SHOWN = 6
DECISIONS_SHOWN = 5
STACKUPS_SHOWN = 3


def get_tool_or_redirect(
    slug: str, tools: ToolQuerySet | None = None
) -> Tool | HttpResponsePermanentRedirect:
    """The approved tool with this slug, or a permanent redirect from an old slug.

    ``tools`` are the approved tools, read with what the caller shows of
    them (by default their category path, and whether their alternatives
    are curated). Their successor is not selected: only a deprecated tool's
    page reads it (one more query), and the join cost every other page
    1.7 ms. ``get`` rather than ``first``: ordering a query makes Django
    compare every selected column (about fifty with the path), 0.4 ms for
    nothing."""
    if tools is None:
        tools = Tool.objects.approved().with_category_path().with_curation_flag()
    try:
        return tools.get(slug=slug)
    except Tool.DoesNotExist:
        return redirect_from_old_slug(slug)


def redirect_from_old_slug(slug: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect from a merged or renamed tool's slug, else a 404."""
    moved = ToolRedirect.objects.select_related("tool").filter(old_slug=slug).first()
    if moved is not None and moved.tool.is_approved:
        return HttpResponsePermanentRedirect(moved.tool.get_absolute_url())
    raise Http404("No tool has this address.")


def alternatives_for(
    tool: Tool, *, limit: int = ALTERNATIVES_SHOWN, among: ToolQuerySet | None = None
) -> tuple[list[Tool], bool]:
    """Curated alternatives, else the most used tools of the same function;
    returns the tools and whether they were curated. ``among`` is the
    approved tools, selected with what the caller shows of them.

    Performance: one query for a tool read ``with_curation_flag()``, which
    says which list to read (80 % of tools at scale 1 have no curated
    ones); otherwise the curated ones are looked for first. The function's
    tools come from index ``tool_ranked_in_function``, in ranking order,
    stopping at ``limit``. As one query with an OR, PostgreSQL sorted every
    tool of the function (800 at scale 1).
    """
    approved = Tool.objects.approved() if among is None else among
    if getattr(tool, "has_curated_alternatives", True):
        curated_ids = Alternative.objects.filter(tool=tool).values("alternative_id")
        curated = list(approved.filter(pk__in=curated_ids).ranked()[:limit])
        if curated:
            return curated, True
    same_function = approved.filter(function_id=tool.function_id).exclude(pk=tool.pk)
    return list(same_function.ranked()[:limit]), False


@require_safe
# Anonymous readers share the whole page from the page cache, and each member
# has a copy of their own: whatever they do to the tool (follow, vote, mute,
# points and votes on them) bumps its versions.
@cache_page(tool_versions, params=(), reader=member_copy)  # see browse.tool_list
@keeps_plans
def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_tool_or_redirect(slug, ToolPage.tools())
    if isinstance(found, HttpResponsePermanentRedirect):
        return found
    return render(
        request,
        "tools/tool_detail.html",
        tool_page_context(request, ToolPage.of(found), ProConForm()),
    )


@dataclass(frozen=True)
class ToolPage:
    """What every reader of a tool page sees: the tool and its sections.

    Performance: eight to ten queries for a tool read from ``tools()``, and
    one more for each of: the tools of its posts, the tools of its
    stackups, a successor. Each section reads only its first rows, in an
    index's order where the ranking allows it.
    """

    tool: Tool
    pros: list[ProCon]
    cons: list[ProCon]
    alternatives: list[Tool]
    alternatives_curated: bool
    aliases: list[Alias]
    decisions: list[Decision]
    users: ToolUsers
    often_used_with: list[Tool]
    # Moves in and out, monthly adoption (changes app).
    changes: ToolChanges
    # Most viewed first as views are flushed: "most viewed" may lag by the
    # page cache's lifetime.
    stackups: list[Stackup]

    @staticmethod
    def tools() -> ToolQuerySet:
        """The approved tools, each read with what its page shows in the
        same query: its category path, its standing (changes app), whether
        its alternatives are curated, and whether it is in any stackup or
        move. Most are in neither (80 % and 66 % of tools at scale 1), and
        ``of`` then skips those sections' queries."""
        in_moves = Move.objects.filter(
            Q(from_tool=OuterRef("pk")) | Q(to_tool=OuterRef("pk"))
        )
        return (
            Tool.objects.approved()
            .with_category_path()
            .with_curation_flag()
            .select_related("standing")
            .annotate(
                in_stackups=Exists(StackupTool.objects.filter(tool=OuterRef("pk"))),
                in_moves=Exists(in_moves),
            )
        )

    @classmethod
    def of(cls, tool: Tool) -> ToolPage:
        pros, cons = (
            ProCon.objects.visible().filter(tool=tool).top_of_one_tool(TOP_PROCONS)
        )
        alternatives, curated = alternatives_for(tool)
        return cls(
            tool=tool,
            pros=pros,
            cons=cons,
            alternatives=alternatives,
            alternatives_curated=curated,
            aliases=list(tool.aliases.all()),
            # The sections other apps fill; their services bump the tool's
            # version when what they show here changes.
            decisions=list(
                Decision.objects.visible()
                .tagging(tool)
                .with_cards()
                .newest()[:DECISIONS_SHOWN]
            ),
            users=ToolUsers.of(tool),
            often_used_with=ToolPairing.objects.often_used_with([tool]),
            changes=tool_changes(tool),
            stackups=list(
                Stackup.objects.including([tool])
                .with_tools()
                .most_viewed()[:STACKUPS_SHOWN]
            )
            if getattr(tool, "in_stackups", True)
            else [],
        )


def tool_page_context(
    request: HttpRequest, page: ToolPage, procon_form: ProConForm
) -> dict[str, object]:
    sections = {field.name: getattr(page, field.name) for field in fields(page)}
    reader = (
        member_state(request, page.tool, [*page.pros, *page.cons])
        if request.user.is_authenticated
        else ANONYMOUS_STATE
    )
    return {
        **sections,
        "with_stats": True,
        "procon_form": procon_form,
        **reader,
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
    # Listed as rows, which name each tool's function.
    alternatives, curated = alternatives_for(
        found, limit=24, among=Tool.objects.approved().with_category_path()
    )
    return render(
        request,
        "tools/tool_alternatives.html",
        {"tool": found, "alternatives": alternatives, "alternatives_curated": curated},
    )
