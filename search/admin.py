"""The back office's view of searches that found nothing (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from search.models import ZeroResultQuery
from tools.models import UnknownPackage

WANTED_PACKAGES = 15


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(admin.ModelAdmin[ZeroResultQuery]):
    """Most searched first: the tools and synonyms the catalog lacks.

    Counted by the site; moderators read it and may clear a row once the
    catalog answers it (a missing tool added, a synonym given). Beside it,
    the other half of the demand: the packages scans could not match.
    """

    list_display = ["query", "count", "first_seen_at", "last_seen_at"]
    search_fields = ["query"]
    ordering = ["-count", "-last_seen_at"]
    date_hierarchy = "last_seen_at"
    readonly_fields = ["query", "count", "first_seen_at", "last_seen_at"]
    change_list_template = "admin/search/zeroresultquery/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        if request.user.has_perm("tools.view_unknownpackage"):
            context["wanted_packages"] = list(
                UnknownPackage.objects.filter(resolved_tool__isnull=True).order_by(
                    "-stack_count", "-scan_count", "ecosystem", "name"
                )[:WANTED_PACKAGES]
            )
        return super().changelist_view(request, extra_context=context)
