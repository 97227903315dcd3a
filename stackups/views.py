"""Stackup pages: the comparison with its tabs, the index, and starting one."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from changes.models import Move
from decisions.models import Decision
from stacks.models import ToolPairing
from stackshare import viewcounts
from stackshare.caching import (
    STRUCTURE,
    cache_page,
    tool_version,
)
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.plans import keeps_plans
from stackshare.types import HtmxHttpRequest
from stackups import charts, comparison
from stackups.models import MAX_TOOLS, MIN_TOOLS, SEPARATOR, Stackup, stackup_slug
from stackups.services import (
    Resolved,
    UnknownStackupError,
    count_stackup_view,
    resolve,
    stackup_shown,
)
from tools.models import Tool, ToolFollow

TABS = {
    "overview": "Overview",
    "decisions": "Decisions",
    "comparison": "Comparison",
    "alternatives": "Alternatives",
}
RELATED_SHOWN = 6
DECISIONS_SHOWN = 10
MOST_VIEWED_SHOWN = 24


def stackup_versions(kwargs: dict[str, Any]) -> list[str]:
    """Everything a comparison shows belongs to its tools: their versions.

    A vote, a pro or con, a follow, a decision or a stack change on any
    compared tool bumps that tool's version, so the cached page goes at
    once. Addresses naming too many tools are 404s and never cached.
    """
    slugs = kwargs["slugs"].lower().split(SEPARATOR)[:MAX_TOOLS]
    return [STRUCTURE, *(tool_version(slug) for slug in slugs)]


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def stackup_detail(
    request: HttpRequest, slugs: str, tab: str = "overview"
) -> HttpResponse:
    """The comparison; anonymous readers get it from the page cache.

    Every comparison shown counts as a view, from the cache or not: the
    page is cached below this view, which counts after it. Reading writes
    no row until enough visitors have (stackups.services.count_stackup_view).
    """
    response = stackup_page(request, slugs=slugs, tab=tab)
    visitor = viewcounts.visitor_of(request)
    if response.status_code == 200 and visitor is not None:  # canonical address
        count_stackup_view(slug=slugs, visitor=visitor)
    return response


@cache_page(stackup_versions, params=())
@keeps_plans
def stackup_page(
    request: HtmxHttpRequest, slugs: str, tab: str = "overview"
) -> HttpResponse:
    try:
        resolved = resolve(slugs)
    except UnknownStackupError as problem:
        return not_found(request, str(problem))
    if tab not in TABS:
        return not_found(
            request, f"A comparison has no “{tab[:40]}” tab.", resolved=resolved
        )
    if resolved.slug != slugs:
        return HttpResponsePermanentRedirect(tab_url(resolved.slug, tab))

    stackup = stackup_shown(resolved)
    tools = resolved.tools
    context: dict[str, object] = {
        "stackup": stackup,
        "title": " vs ".join(tool.name for tool in tools),
        "tools": tools,
        "tab": tab,
        "max_tools": MAX_TOOLS,
        "tabs": [
            (key, label, tab_url(stackup.slug, key)) for key, label in TABS.items()
        ],
        **TAB_CONTEXT[tab](request, tools),
    }
    if wants_fragment(request):
        return render(request, "stackups/stackup_detail.html#tab-panel", context)
    context.update(
        followed=followed_tool_ids(request, tools),
        related=list(
            Stackup.objects.including(tools)
            .exclude(pk=stackup.pk)
            .with_tools()
            .most_viewed()[:RELATED_SHOWN]
        ),
        breadcrumb=[*tools[0].function.ancestors(), tools[0].function],
        structured_data=breadcrumb_structured_data(request, tools, stackup),
    )
    return render(request, "stackups/stackup_detail.html", context)


def tab_url(slug: str, tab: str) -> str:
    if tab == "overview":
        return reverse("stackups:detail", kwargs={"slugs": slug})
    return reverse("stackups:tab", kwargs={"slugs": slug, "tab": tab})


def overview_context(request: HttpRequest, tools: list[Tool]) -> dict[str, object]:
    growth = comparison.growth(tools)
    # Shared ceilings keep the charts of the compared tools comparable.
    most_followers = max((max(g.followers) for g in growth), default=0)
    most_stacks = max((max(g.stacks) for g in growth), default=0)
    return {
        "growth": [
            (
                g,
                charts.sparkline(g.followers, ceiling=most_followers),
                charts.sparkline(g.stacks, ceiling=most_stacks),
            )
            for g in growth
        ],
        "growth_start": growth[0].months[0] if growth else None,
        "often_used_with": [
            tool
            for tool in ToolPairing.objects.often_used_with(tools)
            if tool not in tools
        ],
        # Teams that swapped one of these tools for another (changes app).
        "moves": list(Move.objects.among(tools)),
    }


def decisions_context(request: HttpRequest, tools: list[Tool]) -> dict[str, Any]:
    """Posts tagging any of the tools, those tagging several first (two queries).

    Render with {% include "decisions/decision_list.html#decision-cards" %}.
    """
    return {
        "decisions": list(
            Decision.objects.visible().tagging_any(tools).with_cards()[:DECISIONS_SHOWN]
        ),
        "decisions_ask_url": reverse("decisions:create")
        + "?kind=advice"
        + "".join(f"&tool={tool.slug}" for tool in tools),
    }


def comparison_context(request: HttpRequest, tools: list[Tool]) -> dict[str, object]:
    procons = comparison.top_procons(tools)
    ids = [p.pk for entry in procons for p in [*entry.pros, *entry.cons]]
    voted: set[int] = set()
    if request.user.is_authenticated and ids:
        voted = set(
            request.user.procon_votes.filter(procon__in=ids).values_list(
                "procon_id", flat=True
            )
        )
    return {"procons": procons, "voted_procons": voted}


def alternatives_context(request: HttpRequest, tools: list[Tool]) -> dict[str, object]:
    return {"alternatives": comparison.alternatives(tools)}


TAB_CONTEXT = {
    "overview": overview_context,
    "decisions": decisions_context,
    "comparison": comparison_context,
    "alternatives": alternatives_context,
}


def followed_tool_ids(request: HttpRequest, tools: list[Tool]) -> set[int]:
    if not request.user.is_authenticated:
        return set()
    return set(
        ToolFollow.objects.filter(user=request.user, tool__in=tools).values_list(
            "tool_id", flat=True
        )
    )


def breadcrumb_structured_data(
    request: HttpRequest, tools: list[Tool], stackup: Stackup
) -> SafeString:
    """schema.org BreadcrumbList as JSON-LD, escaped for a <script> element."""
    trail = [
        ("Stackups", reverse("stackups:list")),
        *[
            (node.name, node.get_absolute_url())
            for node in tools[0].function.ancestors()
        ],
        (tools[0].function.name, tools[0].function.get_absolute_url()),
        (" vs ".join(tool.name for tool in tools), stackup.get_absolute_url()),
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
    text = json.dumps(data, ensure_ascii=False)
    escaped = (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    return mark_safe(escaped)  # noqa: S308 - JSON with <, > and & escaped


def not_found(
    request: HttpRequest, problem: str, *, resolved: Resolved | None = None
) -> HttpResponse:
    """A 404 that says what is wrong with the address and offers a way on."""
    return render(
        request,
        "stackups/stackup_not_found.html",
        {"problem": problem, "resolved": resolved},
        status=404,
    )


@require_safe
def stackup_list(request: HttpRequest) -> HttpResponse:
    return render(request, "stackups/stackup_list.html", index_context())


def index_context(
    *, error: str | None = None, picked: list[str] | None = None
) -> dict[str, object]:
    """The index page; after a refused pick, the form keeps what was typed."""
    picked = (picked or [])[:MAX_TOOLS]
    return {
        "most_viewed": list(
            Stackup.objects.with_tools().most_viewed()[:MOST_VIEWED_SHOWN]
        ),
        "max_tools": MAX_TOOLS,
        "picker_values": picked + [""] * (MAX_TOOLS - len(picked)),
        "error": error,
    }


@require_safe
def stackup_start(request: HttpRequest) -> HttpResponse:
    """The picker's target: tool names or slugs in, the canonical stackup out."""
    wanted = [value.strip() for value in request.GET.getlist("tool") if value.strip()]
    wanted = list(dict.fromkeys(value.lower() for value in wanted))
    error = None
    if len(wanted) < MIN_TOOLS:
        error = "Pick at least two tools to compare."
    elif len(wanted) > MAX_TOOLS:
        error = f"A comparison shows at most {MAX_TOOLS} tools."
    else:
        matches = Q()
        for value in wanted:
            matches |= Q(slug=value) | Q(name__iexact=value)
        found = {tool.pk: tool for tool in Tool.objects.approved().filter(matches)}
        by_key = {
            key: tool
            for tool in found.values()
            for key in (tool.slug, tool.name.lower())
        }
        unknown = [value for value in wanted if value not in by_key]
        if unknown:
            error = f"We know no tool called “{unknown[0][:60]}”. Pick one from the suggestions."
        elif len({by_key[value].pk for value in wanted}) < MIN_TOOLS:
            error = "Pick two different tools."
        else:
            slugs = sorted({by_key[value].slug for value in wanted})
            return redirect("stackups:detail", slugs=stackup_slug(slugs))
    return render(
        request,
        "stackups/stackup_list.html",
        index_context(error=error, picked=wanted),
        status=400,
    )
