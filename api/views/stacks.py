"""Companies and stacks: reading them, their history, and pushing a scan from CI."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import scanner
from accounts.models import User
from api import serializers as s
from api.models import Scope
from api.parsers import all_storable
from api.throttles import spend
from api.views.conditional import DetailView, ListView
from changes.adr import parse_pushed
from changes.services import import_adr_drafts
from scanner.limits import LimitError
from stacks.forms import MAX_UPLOAD_TOTAL
from stacks.models import Company, Stack, StackHistory, StackItem
from stacks.scans import apply_scan
from stackshare.types import acting_member


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "This request is too large."


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
