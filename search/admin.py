"""The back office's view of searches that found nothing (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from search.models import ZeroResultQuery


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(admin.ModelAdmin[ZeroResultQuery]):
    """Most searched first: the tools and synonyms the catalog lacks.

    Counted by the site; moderators read it and may clear a row once the
    catalog answers it (a missing tool added, a synonym given).
    """

    list_display = ["query", "count", "first_seen_at", "last_seen_at"]
    search_fields = ["query"]
    ordering = ["-count", "-last_seen_at"]
    date_hierarchy = "last_seen_at"
    readonly_fields = ["query", "count", "first_seen_at", "last_seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
