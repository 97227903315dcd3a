"""The public API's endpoints: thin views over the apps' QuerySets and services."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.exceptions import (
    APIException,
    PermissionDenied,
    Throttled,
    ValidationError,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import scanner
from accounts.models import User
from api import serializers as s
from api.auth import HasScope
from api.models import Scope
from api.parsers import all_storable
from changes.adr import parse_pushed
from changes.services import import_adr_drafts
from decisions import services as decision_services
from decisions.models import Comment, Decision, DecisionKind
from scanner.limits import LimitError
from stacks.forms import MAX_UPLOAD_TOTAL
from stacks.models import Company, Stack, StackHistory, StackItem, ToolPairing
from stacks.scans import apply_scan
from stackshare import ratelimits
from stackshare.types import acting_member
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


class ConditionalMixin(APIView):
    """ETag and Last-Modified on every successful read, and 304 when unchanged.

    The ETag is a digest of the body, so it changes exactly when the page
    cache would show something new; clients revalidate each time (no-cache),
    which costs one cheap 304 while nothing changed.
    """

    def last_modified(self) -> Any:
        return None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in {"GET", "HEAD"} or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
        response["ETag"] = etag
        modified = self.last_modified()
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        response["Cache-Control"] = (
            "private, no-cache" if request.auth is not None else "public, no-cache"
        )
        response["Vary"] = "Accept, Authorization"
        wanted = request.headers.get("If-None-Match", "")
        if wanted and (
            wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")]
        ):
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
            not_modified = super().finalize_response(
                request, not_modified, *args, **kwargs
            )
            not_modified.render()
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response


class ListView(ConditionalMixin, generics.ListAPIView[Any]):
    ordering: list[str] = []

    def get_ordering(self) -> list[str]:
        return self.ordering


class DetailView(ConditionalMixin, generics.RetrieveAPIView[Any]):
    lookup_field = "slug"

    def last_modified(self) -> Any:
        obj = getattr(self, "_object", None)
        return getattr(obj, "updated_at", None)

    def get_object(self) -> Any:
        self._object = super().get_object()
        return self._object


# Catalog


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


# Companies and stacks


class CompanyList(ListView):
    serializer_class = s.CompanySerializer
    queryset = Company.objects.all()
    ordering = ["name"]


class CompanyDetail(DetailView):
    serializer_class = s.CompanySerializer
    queryset = Company.objects.all()


class StackList(ListView):
    """Stacks, most recently changed first; ``company`` narrows to one company's."""

    serializer_class = s.StackSerializer
    ordering = ["-updated_at"]

    @extend_schema(parameters=[OpenApiParameter("company", str)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Stack]:
        # A deactivated member's profile is gone, and so are their stacks.
        stacks = Stack.objects.with_owner().exclude(owner_user__is_active=False)
        company = self.request.query_params.get("company")
        if company:
            stacks = stacks.filter(company__slug=company)
        return stacks


class StackDetail(DetailView):
    """A stack with every entry, its provenance and its evidence."""

    serializer_class = s.StackDetailSerializer

    def get_queryset(self) -> QuerySet[Stack]:
        return (
            Stack.objects.with_owner()
            .exclude(owner_user__is_active=False)
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=StackItem.objects.select_related("tool").order_by(
                        "tool__name"
                    ),
                )
            )
        )


class StackHistoryList(ListView):
    """Every addition and removal, newest first."""

    serializer_class = s.StackHistorySerializer
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[StackHistory]:
        stack = get_object_or_404(Stack, slug=self.kwargs["slug"])
        return StackHistory.objects.filter(stack=stack).select_related("tool")


class StackScanPush(APIView):
    """Push a scan from CI: the stack takes what it finds, as the import screen would.

    The body is the stack file ``stackshare-scan`` prints. New run-time
    tools become detected entries; detected entries the scan no longer finds
    are marked "not seen" until a person removes them. The same scan pushed
    again changes nothing (200 instead of 201).
    """

    required_scope = Scope.STACKS_WRITE

    @extend_schema(
        request={
            "application/json": {
                "type": "object",
                "description": "A stack file (docs/stack-file.md).",
            }
        },
        responses={201: s.ScanOutcomeSerializer, 200: s.ScanOutcomeSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        stack = get_object_or_404(Stack, slug=slug)
        token = request.auth
        editable = Stack.objects.editable_by(request.user).filter(pk=stack.pk).exists()
        company_id = getattr(token, "company_id", None)
        if not editable or (company_id and company_id != stack.company_id):
            raise PermissionDenied("This token may not change this stack.")
        size = int(request.headers.get("content-length") or 0)
        if size > MAX_UPLOAD_TOTAL:
            raise RequestTooLarge(
                f"A pushed scan may have up to {MAX_UPLOAD_TOTAL // 1024} KiB."
            )
        spend(request, "write")
        try:
            text = request.body.decode("utf-8")
            stack_file = scanner.read_stack_file(text, path="push")
        except (UnicodeDecodeError, scanner.ManifestError, LimitError) as error:
            raise ValidationError(
                {"detail": f"This is not a stack file we can read: {error}"}
            ) from error
        if not all_storable(dataclasses.asdict(stack_file)):
            # The scan's names and files are stored (history, evidence, the
            # scan's generator); PostgreSQL refuses a NUL in any of them.
            raise ValidationError(
                {"detail": "This stack file holds a NUL character or a lone surrogate."}
            )
        if len(stack_file.packages) > scanner.MAX_PACKAGES:
            raise ValidationError(
                {"detail": f"A scan may list up to {scanner.MAX_PACKAGES} packages."}
            )
        outcome = apply_scan(
            stack=stack, stack_file=stack_file, pushed_by=acting_member(request)
        )
        body = s.ScanOutcomeSerializer(outcome).data
        if adrs := parse_pushed(stack_file.decision_records):
            # The repository's ADRs wait as drafts for whoever edits the
            # stack: the company's editors, or the member who owns it.
            owner: Company | User = stack.company or stack.owner_user  # type: ignore[assignment]  # a stack belongs to a company or to a member (database constraint)
            new, refreshed = import_adr_drafts(
                owner=owner,
                adrs=adrs,
                origin=f"push of {stack_file.generator or 'a scan'}",
            )
            review = (
                reverse("changes:drafts", kwargs={"slug": stack.company.slug})
                if stack.company
                else reverse("changes:member_drafts")
            )
            body["decision_records"] = s.PushedRecordsSerializer(
                {
                    "new": new,
                    "refreshed": refreshed,
                    "review_url": request.build_absolute_uri(review),
                }
            ).data
        return Response(
            body,
            status=status.HTTP_200_OK if outcome.repeated else status.HTTP_201_CREATED,
        )


# Decisions and advice


class DecisionList(ListView):
    """Decisions and requests for advice, newest first; post one with a token."""

    ordering = ["-created_at"]
    permission_classes = [HasScope]
    required_scope = Scope.DECISIONS_WRITE

    def get_serializer_class(self) -> type:
        return (
            s.DecisionWriteSerializer
            if self.request.method == "POST"
            else s.DecisionSerializer
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("tool", str, description="Only posts tagging this tool."),
            OpenApiParameter("kind", str, enum=DecisionKind.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Decision]:
        decisions = Decision.objects.visible().with_cards()
        params = self.request.query_params
        if params.get("tool"):
            decisions = decisions.filter(tool_tags__tool__slug=params["tool"])
        if params.get("kind"):
            # An unknown kind is a mistake to report, as with the tool filters,
            # not an empty page that looks like "no decisions yet".
            if params["kind"] not in DecisionKind.values:
                raise ValidationError({"kind": ["Choose one of the listed kinds."]})
            decisions = decisions.filter(kind=params["kind"])
        return decisions

    @extend_schema(
        request=s.DecisionWriteSerializer, responses={201: s.DecisionSerializer}
    )
    def post(self, request: Request) -> Response:
        spend(request, "post")
        data = s.DecisionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        chosen = tools_named(fields["chosen"])
        considered = tools_named(fields["considered"])
        decision = decision_services.create_decision(
            author=acting_member(request),
            kind=fields["kind"],
            title=fields["title"],
            body=fields["body"],
            chosen=chosen,
            considered=considered,
        )
        decision = Decision.objects.with_cards().get(pk=decision.pk)
        body = s.DecisionSerializer(decision, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class DecisionDetail(DetailView):
    serializer_class = s.DecisionSerializer
    lookup_field = "pk"
    queryset = Decision.objects.visible().with_cards()

    def last_modified(self) -> Any:
        return None


class CommentList(ListView):
    """A post's visible comments, oldest first; comment with a token."""

    ordering = ["created_at"]
    permission_classes = [HasScope]
    required_scope = Scope.DECISIONS_WRITE

    def get_serializer_class(self) -> type:
        return (
            s.CommentWriteSerializer
            if self.request.method == "POST"
            else s.CommentSerializer
        )

    def get_queryset(self) -> QuerySet[Comment]:
        decision = get_object_or_404(Decision.objects.visible(), pk=self.kwargs["pk"])
        return (
            Comment.objects.visible().filter(decision=decision).select_related("author")
        )

    @extend_schema(
        request=s.CommentWriteSerializer, responses={201: s.CommentSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = get_object_or_404(Decision.objects.visible(), pk=pk)
        spend(request, "comment")
        data = s.CommentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data.get("parent"):
            parent = (
                Comment.objects.visible()
                .filter(decision=decision, pk=data.validated_data["parent"])
                .first()
            )
            if parent is None:
                raise ValidationError({"parent": "No such comment on this post."})
        comment = decision_services.add_comment(
            decision=decision,
            author=acting_member(request),
            body=data.validated_data["body"],
            parent=parent,
        )
        body = s.CommentSerializer(comment, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class MemberDetail(DetailView):
    """A public profile: user name, display name, when they joined."""

    serializer_class = s.MemberSerializer
    lookup_field = "username"
    lookup_url_kwarg = "username"
    queryset = User.objects.filter(is_active=True)

    def last_modified(self) -> Any:
        return None


# Helpers


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "This request is too large."


def spend(request: Request, action: str) -> None:
    """The site's per-member rate limit for this kind of write (stackshare.ratelimits)."""
    user_id = acting_member(request).pk
    if not ratelimits.hit(user_id=user_id, action=action):
        raise Throttled(
            wait=ratelimits.retry_after(user_id=user_id, action=action),
            detail=ratelimits.message(action),
        )


def tools_named(slugs: list[str]) -> list[Tool]:
    found = {t.slug: t for t in Tool.objects.approved().filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValidationError({"tools": f"Not in the catalog: {', '.join(missing)}."})
    return [found[slug] for slug in slugs]


@extend_schema(exclude=True)
class NotFound(APIView):
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from rest_framework.exceptions import NotFound as DRFNotFound

        raise DRFNotFound("There is no such address in the API.")


class Docs(SpectacularSwaggerSplitView):
    """The interactive docs: Swagger UI from our own static files.

    The split view loads its set-up script from this same address
    (``?script=``), so the page runs under the site's CSP (script-src
    'self') with no inline script. It is a page, so only GET and HEAD: DRF's
    OPTIONS answer has no template to render it with.
    """

    http_method_names = ["get", "head"]
    # drf-spectacular's own page carries an inline <style>, which the CSP
    # (style-src 'self') blocks; ours takes its rules from a static file.
    template_name = "api/docs.html"
