"""The back office reads what the changes app derives; writes go through
the site's services (moves are derived, rings and records set by their
owners), so these pages are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from changes.models import DecisionRecord, DraftDecision, Move, RadarEntry, RingChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Move)
class MoveAdmin(ReadOnlyAdmin):
    list_display = ["from_tool", "to_tool", "stack", "moved_at", "days"]
    list_select_related = ["from_tool", "to_tool", "stack"]
    search_fields = ["from_tool__name", "to_tool__name"]
    date_hierarchy = "moved_at"


@admin.register(RadarEntry)
class RadarEntryAdmin(ReadOnlyAdmin):
    list_display = ["item", "ring", "reason", "changed_at"]
    list_filter = ["ring"]
    list_select_related = ["item__tool", "item__stack"]


@admin.register(RingChange)
class RingChangeAdmin(ReadOnlyAdmin):
    list_display = ["company", "tool", "ring_from", "ring_to", "actor", "created_at"]
    list_filter = ["ring_to"]
    list_select_related = ["company", "tool", "actor"]
    search_fields = ["company__name", "tool__name"]


@admin.register(DecisionRecord)
class DecisionRecordAdmin(ReadOnlyAdmin):
    list_display = ["decision", "status", "revisit_on", "outcome", "outcome_at"]
    list_filter = ["status", "outcome"]
    list_select_related = ["decision"]
    search_fields = ["decision__title"]


@admin.register(DraftDecision)
class DraftDecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "company", "path", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["company"]
    search_fields = ["title", "company__name", "path"]
