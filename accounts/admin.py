from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from accounts.models import ModerationEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "display_name",
        "company_name",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
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
    )


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
