"""The back office for decisions: the report queue, hiding and restoring posts and comments.

Every hide and restore goes through decisions.services, which writes the
ModerationEvent, so the admin and the site leave the same audit trail.
Hiding asks for a reason on an intermediate page first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html

from accounts.admin import SuperusersReassign
from accounts.models import User
from decisions import services
from decisions.models import (
    Comment,
    Decision,
    DecisionTool,
    Report,
    ReportStatus,
)
from stackshare.admin_mixins import HidesThroughServices, RefreshesCachedPages
from stackshare.admin_widgets import SafeAutocompleteAdmin
from stackshare.types import acting_member

if TYPE_CHECKING:
    from django.contrib.admin.filters import _ListFilterChoices
    from django.contrib.admin.views.main import ChangeList


class DecisionToolInline(
    SafeAutocompleteAdmin, admin.TabularInline[DecisionTool, Decision]
):
    model = DecisionTool
    extra = 0
    autocomplete_fields = ["tool"]


@admin.register(Decision)
class DecisionAdmin(
    SafeAutocompleteAdmin,
    SuperusersReassign,
    RefreshesCachedPages,
    HidesThroughServices[Decision],
):
    list_display = [
        "title",
        "kind",
        "author",
        "is_hidden",
        "upvote_count",
        "view_count",
        "comment_count",
        "created_at",
    ]
    list_filter = ["kind", "is_hidden", "created_at"]
    list_select_related = ["author"]
    search_fields = ["title", "body", "author__username", "author__display_name"]
    autocomplete_fields = ["author"]
    date_hierarchy = "created_at"
    inlines = [DecisionToolInline]
    readonly_fields = [
        "is_hidden",
        "hidden_reason",
        "upvote_count",
        "view_count",
        "comment_count",
        "created_at",
        "edited_at",
        "deleted_at",
    ]
    fields = ["kind", "title", "body", "author", *readonly_fields]
    attribution_fields = ("author",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Decision]:
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members post on the site, through the services

    def hide(self, obj: Decision, *, actor: User, reason: str) -> None:
        services.hide_decision(decision=obj, actor=actor, reason=reason)

    def restore(self, obj: Decision, *, actor: User, reason: str) -> None:
        services.restore_decision(decision=obj, actor=actor, reason=reason)


@admin.register(Comment)
class CommentAdmin(
    SafeAutocompleteAdmin, RefreshesCachedPages, HidesThroughServices[Comment]
):
    list_display = ["excerpt", "author", "decision", "is_hidden", "created_at"]
    list_filter = ["is_hidden", "created_at"]
    list_select_related = ["author", "decision"]
    search_fields = ["body", "author__username", "decision__title"]
    autocomplete_fields = ["author", "decision", "parent"]
    readonly_fields = [
        "decision",
        "parent",
        "author",
        "created_at",
        "is_hidden",
        "hidden_reason",
        "deleted_at",
    ]
    fields = ["body", *readonly_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        if comment.is_deleted:
            return "[deleted]"
        words = " ".join(comment.body.split())
        return words[:80] + ("…" if len(words) > 80 else "")

    def hide(self, obj: Comment, *, actor: User, reason: str) -> None:
        services.hide_comment(comment=obj, actor=actor, reason=reason)

    def restore(self, obj: Comment, *, actor: User, reason: str) -> None:
        services.restore_comment(comment=obj, actor=actor, reason=reason)


class ReportStatusFilter(admin.SimpleListFilter):
    """Open reports by default: the queue is what needs work."""

    title = "status"
    parameter_name = "status"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [*ReportStatus.choices, ("all", "All")]

    def choices(self, changelist: ChangeList) -> Iterator[_ListFilterChoices]:
        value = self.value() or ReportStatus.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> QuerySet[Report]:
        value = self.value() or ReportStatus.OPEN
        if value == "all":
            return queryset
        return queryset.filter(status=value)


@admin.register(Report)
class ReportAdmin(SafeAutocompleteAdmin, HidesThroughServices[Report]):
    list_display = [
        "created_at",
        "reason",
        "target_link",
        "target_author",
        "reporter",
        "status",
    ]
    list_filter = [ReportStatusFilter, "reason", "created_at"]
    list_select_related = [
        "reporter",
        "decision__author",
        "comment__author",
        "comment__decision",
    ]
    search_fields = [
        "details",
        "reporter__username",
        "decision__title",
        "comment__body",
    ]
    autocomplete_fields = ["reporter", "decision", "comment"]
    readonly_fields = [
        "reporter",
        "decision",
        "comment",
        "reason",
        "details",
        "created_at",
        "status",
        "resolved_by",
        "resolved_at",
    ]
    ordering = ["created_at", "id"]
    actions = ["hide_content", "restore_content", "dismiss_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="reported")
    def target_link(self, report: Report) -> str:
        target = report.target
        label = (
            f"Post: {target}"
            if isinstance(target, Decision)
            else f"Comment on “{target.decision}”: {' '.join(target.body.split())[:60]}"
        )
        hidden = " (hidden)" if target.is_hidden else ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>{}',
            target.get_absolute_url(),
            label,
            hidden,
        )

    @admin.display(description="author")
    def target_author(self, report: Report) -> User:
        return report.target.author

    def hide(self, obj: Report, *, actor: User, reason: str) -> None:
        reason = reason or obj.get_reason_display()
        target = obj.target
        if isinstance(target, Comment):
            services.hide_comment(comment=target, actor=actor, reason=reason)
        else:
            services.hide_decision(decision=target, actor=actor, reason=reason)

    def restore(self, obj: Report, *, actor: User, reason: str) -> None:
        target = obj.target
        if isinstance(target, Comment):
            services.restore_comment(comment=target, actor=actor, reason=reason)
        else:
            services.restore_decision(decision=target, actor=actor, reason=reason)

    @admin.action(description="Hide the reported content…", permissions=["change"])
    def hide_content(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> HttpResponse | None:
        return self.ask_reason(request, queryset, action="hide_content", verb="Hide")

    @admin.action(description="Restore the reported content…", permissions=["change"])
    def restore_content(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> HttpResponse | None:
        return self.ask_reason(
            request, queryset, action="restore_content", verb="Restore"
        )

    @admin.action(description="Dismiss selected reports", permissions=["change"])
    def dismiss_selected(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> None:
        for report in queryset.filter(status=ReportStatus.OPEN):
            services.dismiss_report(report=report, actor=acting_member(request))
        self.message_user(request, "Dismissed.", messages.SUCCESS)
