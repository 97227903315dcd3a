"""The back office for decisions: the report queue, hiding and restoring posts and comments.

Every hide and restore goes through decisions.services, which writes the
ModerationEvent, so the admin and the site leave the same audit trail.
Hiding asks for a reason on an intermediate page first.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
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
from stackshare.admin_widgets import SafeAutocompleteAdmin
from stackshare.caching import RefreshesCachedPages


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (shown to the author)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


def ask_reason(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    verb: str,
    apply: Callable[[object, str], None],
) -> HttpResponse | None:
    """Show the reason page, then apply the action to each selected row."""
    form = ReasonForm(request.POST if request.POST.get("confirm") == "yes" else None)
    if form.is_bound and form.is_valid():
        for obj in queryset:
            apply(obj, form.cleaned_data["reason"])
        modeladmin.message_user(
            request, f"{verb}: {queryset.count()} item(s).", messages.SUCCESS
        )
        return None
    return TemplateResponse(
        request,
        "admin/decisions/moderate.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"{verb} {queryset.count()} item(s)",
            "objects": list(queryset[:50]),
            "pks": list(queryset.values_list("pk", flat=True)),
            "form": form,
            "action": action,
            "verb": verb,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


class DecisionToolInline(SafeAutocompleteAdmin, admin.TabularInline[DecisionTool]):
    model = DecisionTool
    extra = 0
    autocomplete_fields = ["tool"]


@admin.register(Decision)
class DecisionAdmin(
    SafeAutocompleteAdmin, SuperusersReassign, RefreshesCachedPages, admin.ModelAdmin
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
    actions = ["hide_selected", "restore_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Decision]:
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members post on the site, through the services

    @admin.action(description="Hide selected posts…", permissions=["change"])
    def hide_selected(
        self, request: HttpRequest, queryset: QuerySet[Decision]
    ) -> HttpResponse | None:
        actor: User = request.user  # type: ignore[assignment]
        return ask_reason(
            self,
            request,
            queryset,
            action="hide_selected",
            verb="Hide",
            apply=lambda d, reason: services.hide_decision(
                decision=d, actor=actor, reason=reason
            ),  # type: ignore[arg-type]
        )

    @admin.action(description="Restore selected posts", permissions=["change"])
    def restore_selected(
        self, request: HttpRequest, queryset: QuerySet[Decision]
    ) -> HttpResponse | None:
        actor: User = request.user  # type: ignore[assignment]
        return ask_reason(
            self,
            request,
            queryset,
            action="restore_selected",
            verb="Restore",
            apply=lambda d, reason: services.restore_decision(
                decision=d, actor=actor, reason=reason
            ),  # type: ignore[arg-type]
        )


@admin.register(Comment)
class CommentAdmin(
    SafeAutocompleteAdmin, RefreshesCachedPages, admin.ModelAdmin[Comment]
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
    actions = ["hide_selected", "restore_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="comment")
    def excerpt(self, comment: Comment) -> str:
        if comment.is_deleted:
            return "[deleted]"
        words = " ".join(comment.body.split())
        return words[:80] + ("…" if len(words) > 80 else "")

    @admin.action(description="Hide selected comments…", permissions=["change"])
    def hide_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        actor: User = request.user  # type: ignore[assignment]
        return ask_reason(
            self,
            request,
            queryset,
            action="hide_selected",
            verb="Hide",
            apply=lambda c, reason: services.hide_comment(
                comment=c, actor=actor, reason=reason
            ),  # type: ignore[arg-type]
        )

    @admin.action(description="Restore selected comments", permissions=["change"])
    def restore_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> HttpResponse | None:
        actor: User = request.user  # type: ignore[assignment]
        return ask_reason(
            self,
            request,
            queryset,
            action="restore_selected",
            verb="Restore",
            apply=lambda c, reason: services.restore_comment(
                comment=c, actor=actor, reason=reason
            ),  # type: ignore[arg-type]
        )


class ReportStatusFilter(admin.SimpleListFilter):
    """Open reports by default: the queue is what needs work."""

    title = "status"
    parameter_name = "status"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, str]]:
        return [*ReportStatus.choices, ("all", "All")]

    def choices(self, changelist: object) -> list[dict[str, object]]:  # type: ignore[override]
        value = self.value() or ReportStatus.OPEN
        return [
            {
                "selected": value == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),  # type: ignore[attr-defined]
                "display": title,
            }
            for lookup, title in self.lookup_choices
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> QuerySet[Report]:
        value = self.value() or ReportStatus.OPEN
        if value == "all":
            return queryset
        return queryset.filter(status=value)


@admin.register(Report)
class ReportAdmin(SafeAutocompleteAdmin, admin.ModelAdmin[Report]):
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

    @admin.action(description="Hide the reported content…", permissions=["change"])
    def hide_content(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> HttpResponse | None:
        actor: User = request.user  # type: ignore[assignment]

        def apply(report: Report, reason: str) -> None:
            reason = reason or report.get_reason_display()
            if report.comment_id:
                services.hide_comment(
                    comment=report.comment, actor=actor, reason=reason
                )  # type: ignore[arg-type]
            else:
                services.hide_decision(
                    decision=report.decision, actor=actor, reason=reason
                )  # type: ignore[arg-type]

        return ask_reason(
            self,
            request,
            queryset,
            action="hide_content",
            verb="Hide",
            apply=apply,  # type: ignore[arg-type]
        )

    @admin.action(description="Restore the reported content", permissions=["change"])
    def restore_content(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> HttpResponse | None:
        actor: User = request.user  # type: ignore[assignment]

        def apply(report: Report, reason: str) -> None:
            if report.comment_id:
                services.restore_comment(
                    comment=report.comment, actor=actor, reason=reason
                )  # type: ignore[arg-type]
            else:
                services.restore_decision(
                    decision=report.decision, actor=actor, reason=reason
                )  # type: ignore[arg-type]

        return ask_reason(
            self,
            request,
            queryset,
            action="restore_content",
            verb="Restore",
            apply=apply,  # type: ignore[arg-type]
        )

    @admin.action(description="Dismiss selected reports", permissions=["change"])
    def dismiss_selected(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> None:
        for report in queryset.filter(status=ReportStatus.OPEN):
            services.dismiss_report(report=report, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, "Dismissed.", messages.SUCCESS)
