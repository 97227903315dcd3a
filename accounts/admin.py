from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import ModerationEvent, User
from accounts.services import reinstate_member, suspend_member
from stackshare.caching import RefreshesCachedPages


@admin.register(User)
class UserAdmin(RefreshesCachedPages, DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "display_name",
        "company_name",
        "is_staff",
        "is_active",
        "is_suspended",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "is_suspended", "groups"]
    readonly_fields = ["is_suspended"]
    actions = ["suspend_selected", "reinstate_selected"]
    search_fields = ["username", "email", "display_name", "company_name"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "job_title",
                    "company_name",
                    "location",
                    "bio",
                    "website",
                    "github_username",
                    "avatar",
                )
            },
        ),
        ("Moderation", {"fields": ("is_suspended",)}),
    )

    @admin.action(
        description="Suspend selected members (no posting)", permissions=["change"]
    )
    def suspend_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for member in queryset.filter(is_suspended=False):
            suspend_member(member=member, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, "Suspended.", messages.SUCCESS)

    @admin.action(
        description="Lift the suspension of selected members", permissions=["change"]
    )
    def reinstate_selected(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        for member in queryset.filter(is_suspended=True):
            reinstate_member(member=member, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, "Suspension lifted.", messages.SUCCESS)


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The audit trail: read-only, newest first."""

    list_display = [
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_repr",
        "reason",
    ]
    list_filter = ["action", "target_type", "created_at"]
    list_select_related = ["actor", "target_type"]
    search_fields = ["target_repr", "reason", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
