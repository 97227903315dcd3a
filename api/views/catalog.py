"""The catalog's endpoints: categories, tools (listed, searched, one by one) and stackups."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.views.conditional import ConditionalMixin, DetailView, ListView
from stacks.models import ToolPairing
from tools.filters import SORTS, ToolFilter
from tools.models import Alternative, Category, Tool, ToolQuerySet

# The sorts the API offers, each a stable order for keyset pages. The
# site's own orders put deprecated tools last; a keyset page cannot start
# on a boolean, so the API leaves that to the reader (``is_deprecated``).
TOOL_SORTS = {
    "stacks": ["-stack_count", "-follower_count", "name"],
    "followers": ["-follower_count", "name"],
    "votes": ["-vote_count", "name"],
    "newest": ["-created_at", "name"],
    "trending": ["-trending", "-stack_count", "name"],
}
assert set(TOOL_SORTS) <= set(SORTS)  # noqa: S101 - the same names as the site


def search_tools(tools: ToolQuerySet, query: str) -> ToolQuerySet:
    """The one place the API asks for the site's search ranking."""
    return tools.search(query)


class CategoryList(ConditionalMixin, generics.ListAPIView[Any]):
    """The catalog tree: every layer, category and function, parents first."""

    serializer_class = s.CategorySerializer
    pagination_class = None
    queryset = Category.objects.select_related("parent").order_by(
        "level", "position", "name"
    )


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Search with the site's ranking."),
        OpenApiParameter("layer", str, description="A layer's slug."),
        OpenApiParameter("category", str, description="A category's slug."),
        OpenApiParameter("function", str, description="A function's slug."),
        OpenApiParameter("open_source", bool),
        OpenApiParameter("license", str),
        OpenApiParameter("has_repository", bool),
        OpenApiParameter("sort", str, enum=list(TOOL_SORTS)),
    ]
)
class ToolList(ListView):
    """Approved tools, filtered like the catalog page; searched when ``q`` is given."""

    serializer_class = s.ToolSerializer

    def get_queryset(self) -> QuerySet[Tool]:
        params = self.request.query_params
        sort = params.get("sort") or "stacks"
        if sort not in TOOL_SORTS:
            raise ValidationError({"sort": f"One of: {', '.join(TOOL_SORTS)}."})
        filterset = ToolFilter(
            {
                key: params[key]
                for key in (
                    "layer",
                    "category",
                    "function",
                    "open_source",
                    "license",
                    "has_repository",
                )
                if params.get(key)
            },
            queryset=Tool.objects.approved().with_category_path(),
            categories=list(Category.objects.only("slug", "name", "level")),
            # Any licence may be asked for; the list is only the form's choices.
            licenses=[params["license"]] if params.get("license") else [],
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        tools = filterset.qs
        query = params.get("q", "").strip()[:100]
        if query:
            found = search_tools(tools, query)
            # No match comes back without the rank to order by.
            ranked = "search_rank" in found.query.annotations
            self.ordering = ["search_rank"] if ranked else ["pk"]
            return found
        if sort == "trending":
            tools = tools.with_trending()
        self.ordering = TOOL_SORTS[sort]
        return tools


class ToolDetail(DetailView):
    """One tool with its aliases, alternatives, successor and the tools often used with it."""

    serializer_class = s.ToolDetailSerializer
    queryset = (
        Tool.objects.approved()
        .with_category_path()
        .select_related("successor")
        .prefetch_related("aliases", "tags")
    )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        tool = getattr(self, "_object", None)
        if tool is not None:
            context["alternatives"] = [
                link.alternative
                for link in Alternative.objects.filter(
                    tool=tool, alternative__status="approved"
                ).select_related("alternative")
            ]
            context["often_used_with"] = ToolPairing.objects.often_used_with([tool])
        return context

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tool = self.get_object()
        return Response(self.get_serializer(tool).data)


class Stackup(ConditionalMixin, APIView):
    """Two to four tools side by side, with what their stacks also use."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "tools",
                str,
                required=True,
                description="2 to 4 tool slugs, comma-separated.",
            )
        ],
        responses=s.StackupSerializer,
    )
    def get(self, request: Request) -> Response:
        slugs = list(
            dict.fromkeys(
                t for t in request.query_params.get("tools", "").split(",") if t
            )
        )
        if not 2 <= len(slugs) <= 4:
            raise ValidationError({"tools": "Name 2 to 4 tools, comma-separated."})
        found = {
            t.slug: t
            for t in Tool.objects.approved().with_category_path().filter(slug__in=slugs)
        }
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise ValidationError(
                {"tools": f"Not in the catalog: {', '.join(missing)}."}
            )
        tools = [found[slug] for slug in slugs]
        context = {"request": request}
        return Response(
            {
                "tools": s.ToolSerializer(tools, many=True, context=context).data,
                "often_used_with": s.PairedToolSerializer(
                    ToolPairing.objects.often_used_with(tools), many=True
                ).data,
            }
        )
