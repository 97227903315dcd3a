"""The site search: one box, results grouped by kind, "see all" pages,
autocomplete, and a page that helps when nothing is found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from search.filters import ToolSearchFilter
from search.kinds import KINDS, tools_found
from search.services import record_zero_result
from stackshare.caching import FOUND, STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.types import HtmxHttpRequest
from tools.models import MAX_QUERY_LENGTH, Category, Tool
from tools.search import clean_query, closest_categories, suggest_tools

PAGE_SIZE = 24
GROUP_SIZE = {"tools": 6, "companies": 3, "stackups": 3, "decisions": 3, "members": 4}
AUTOCOMPLETE_SIZE = 8
SUGGESTIONS = 3


def _query(request: HttpRequest) -> tuple[str, bool]:
    """The query as searched, and whether it was cut to MAX_QUERY_LENGTH."""
    raw = request.GET.get("q", "")
    return clean_query(raw), len(raw.strip()) > MAX_QUERY_LENGTH


@require_safe
# Performance: anonymous readers are served from the shared cache until what
# search finds changes; counts may lag, as the page says (stackshare.caching).
@cache_page([STRUCTURE, FOUND], params=["q", "page"])
def search(request: HttpRequest) -> HttpResponse:
    """Everything the query finds, a few of each kind, best first."""
    query, too_long = _query(request)
    if request.GET.get("page") and query:
        # The search page used to list tools only, page by page.
        return HttpResponseRedirect(
            f"{reverse('search:kind', kwargs={'kind': 'tools'})}?"
            f"{urlencode({'q': query, 'page': request.GET['page']})}"
        )
    groups = []
    if query:
        ranked = tools_found(query)
        tools = ranked[: GROUP_SIZE["tools"] + 1]
        for slug, kind in KINDS.items():
            size = GROUP_SIZE[slug]
            found = (
                tools if slug == "tools" else list(kind.find(query, tools)[: size + 1])
            )
            groups.append(
                {
                    "kind": kind,
                    "items": found[:size],
                    "more": len(found) > size,
                    "total": len(ranked) if slug == "tools" else None,
                }
            )
    context: dict[str, object] = {
        "query": query,
        "too_long": too_long,
        "groups": [group for group in groups if group["items"]],
        "query_string": urlencode({"q": query}),
    }
    if query and not groups[0]["items"]:
        # No tool: what moderators most want to hear about, whatever else
        # the query found (a member named like a missing tool, say).
        record_zero_result(query=query)
        suggestions = suggest_tools(query, limit=SUGGESTIONS)
        context["no_tools"] = True
        context["suggestions"] = suggestions
        context["categories"] = closest_categories(query, near=suggestions)
    return render(request, "search/search.html", context)


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
@cache_page([STRUCTURE, FOUND], params=["q", "page", *ToolSearchFilter.base_filters])
def search_kind(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    """All results of one kind ("see all"); tools filtered by place in the tree."""
    if kind not in KINDS:
        raise Http404("Search knows no such kind of result.")
    query, too_long = _query(request)
    filterset = None
    results: Sequence[Any] | QuerySet[Any]
    if kind == "tools":
        filterset = ToolSearchFilter(
            request.GET or None,
            queryset=Tool.objects.approved(),
            categories=list(Category.objects.order_by("position", "name")),
        )
        results = tools_found(query, filterset.qs) if query else []
    elif query:
        about = list(tools_found(query)[:3]) if KINDS[kind].about_tools else []
        results = KINDS[kind].find(query, about)
    else:
        results = []
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "search/search_kind.html"
    if wants_fragment(request):
        template += "#results"
    return render(
        request,
        template,
        {
            "kind": KINDS[kind],
            "kinds": KINDS.values(),
            "query": query,
            "too_long": too_long,
            "page": page,
            "filterset": filterset,
        },
    )


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS, "Accept")
@cache_page([STRUCTURE, FOUND], params=["q", "tool", "for"])  # see search
def autocomplete(request: HttpRequest) -> HttpResponse:
    """Up to eight tools for the header search and the tool pickers."""
    # The header search sends "q"; tool pickers send their field, "tool".
    query = clean_query(request.GET.get("q") or request.GET.get("tool", ""))
    tools = list(
        Tool.objects.approved()
        .select_related("function")
        .autocomplete(query)
        .only(
            "name",
            "slug",
            "tagline",
            "logo",
            "stack_count",
            "function__name",
            "function__slug",
        )[:AUTOCOMPLETE_SIZE]
    )
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "results": [
                    {
                        "slug": tool.slug,
                        "name": tool.name,
                        "tagline": tool.tagline,
                        "function": tool.function.name,
                        "stacks": tool.stack_count,
                        "url": tool.get_absolute_url(),
                    }
                    for tool in tools
                ]
            }
        )
    # A tool picker (?for=picker) sits inside a form being filled in: no
    # "search everything" link there, which would leave the form.
    context = {
        "tools": tools,
        "query": query,
        "in_picker": request.GET.get("for") == "picker",
    }
    return render(request, "search/autocomplete.html", context)
