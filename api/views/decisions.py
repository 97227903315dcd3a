"""Decisions and advice: reading and posting them, and their comments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.auth import HasScope
from api.models import Scope
from api.throttles import spend
from api.views.conditional import DetailView, ListView
from decisions import services as decision_services
from decisions.models import Comment, Decision, DecisionKind
from stackshare.types import acting_member
from tools.models import Tool


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


def tools_named(slugs: list[str]) -> list[Tool]:
    found = {t.slug: t for t in Tool.objects.approved().filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValidationError({"tools": f"Not in the catalog: {', '.join(missing)}."})
    return [found[slug] for slug in slugs]
