"""The back office for companies and stacks.

Entries and memberships change through the same services as the site, so
counters and history stay right: the admin edits notes and roles, and its
delete actions call the services instead of deleting rows directly.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.admin import SuperusersReassign, is_superuser
from stacks import services
from stacks.models import (
    Company,
    CompanyMembership,
    Role,
    Stack,
    StackHistory,
    StackItem,
    ToolPairing,
)
from stackshare.admin_mixins import DeletesThroughServices, RefreshesCachedPages
from stackshare.admin_widgets import SafeAutocompleteAdmin
from stackshare.types import acting_member


def save_membership(request: HttpRequest, membership: CompanyMembership) -> None:
    """Save a membership edited in the back office through the services; a
    refusal (the last owner stepping down) is told, and nothing changes."""
    try:
        saved = services.save_membership(
            membership_id=membership.pk,
            company=membership.company,
            user=membership.user,
            role=Role(membership.role),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return
    membership.pk, membership.role_rank = saved.pk, saved.role_rank


def remove_membership(request: HttpRequest, membership: CompanyMembership) -> None:
    """Take a member out of a company through the services, or say why not."""
    try:
        services.remove_company_member(company=membership.company, user=membership.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])


class MembershipInline(
    SafeAutocompleteAdmin,
    SuperusersReassign,
    admin.TabularInline[CompanyMembership, Company],
):
    model = CompanyMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    attribution_fields = ("user",)

    def has_add_permission(
        self, request: HttpRequest, obj: Company | None = None
    ) -> bool:
        # A new row needs its member chosen, which the read-only column of
        # non-superusers cannot do; they add one on the membership page.
        return is_superuser(request) and super().has_add_permission(request, obj)


@admin.register(Company)
class CompanyAdmin(
    DeletesThroughServices,
    SafeAutocompleteAdmin,
    SuperusersReassign,
    RefreshesCachedPages,
    admin.ModelAdmin[Company],
):
    list_display = [
        "name",
        "slug",
        "industry",
        "size",
        "location",
        "tool_count",
        "follower_count",
        "created_at",
    ]
    list_filter = ["industry", "size", "created_at"]
    search_fields = ["name", "slug", "website", "location"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["created_by"]
    readonly_fields = ["tool_count", "follower_count", "created_at", "updated_at"]
    inlines = [MembershipInline]
    attribution_fields = ("created_by",)

    def save_formset(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Company],
        formset: BaseInlineFormSet[CompanyMembership, Company, Any],
        change: bool,
    ) -> None:
        # Memberships are the only inline; each row goes through the services.
        for membership in formset.save(commit=False):
            save_membership(request, membership)
        for membership in formset.deleted_objects:
            remove_membership(request, membership)

    def delete_through_services(
        self, request: HttpRequest, objects: list[Company]
    ) -> None:
        for company in objects:  # with its stacks
            services.delete_company(company=company)


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(
    DeletesThroughServices,
    SafeAutocompleteAdmin,
    SuperusersReassign,
    RefreshesCachedPages,
    admin.ModelAdmin[CompanyMembership],
):
    list_display = ["company", "user", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["company", "user"]
    search_fields = ["company__name", "user__username", "user__display_name"]
    autocomplete_fields = ["company", "user"]
    readonly_fields = ["role_rank", "created_at"]
    attribution_fields = ("company", "user")

    def save_model(
        self,
        request: HttpRequest,
        obj: CompanyMembership,
        form: forms.ModelForm[CompanyMembership],
        change: bool,
    ) -> None:
        save_membership(request, obj)

    def delete_view(
        self,
        request: HttpRequest,
        object_id: str,
        extra_context: dict[str, object] | None = None,
    ) -> HttpResponse:
        # A company's only owner stays: back to the membership, saying why.
        membership = self.get_object(request, unquote(object_id))
        if membership is not None and services.is_last_owner(membership):
            messages.error(
                request, services.last_owner_error(membership.company).messages[0]
            )
            return redirect("admin:stacks_companymembership_change", membership.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_through_services(
        self, request: HttpRequest, objects: list[CompanyMembership]
    ) -> None:
        for membership in objects:
            remove_membership(request, membership)


class StackItemInline(admin.TabularInline[StackItem, Stack]):
    model = StackItem
    extra = 0
    fields = ["tool", "note", "source", "detected_file", "detected_from", "added_at"]
    readonly_fields = ["tool", "source", "detected_file", "detected_from", "added_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Stack)
class StackAdmin(
    DeletesThroughServices,
    SafeAutocompleteAdmin,
    SuperusersReassign,
    RefreshesCachedPages,
    admin.ModelAdmin[Stack],
):
    list_display = ["name", "company", "owner_user", "item_count", "updated_at"]
    list_filter = ["company__industry", "updated_at"]
    list_select_related = ["company", "owner_user"]
    search_fields = ["name", "slug", "company__name", "owner_user__username"]
    autocomplete_fields = ["company", "owner_user"]
    readonly_fields = ["item_count", "created_at", "updated_at"]
    inlines = [StackItemInline]
    attribution_fields = ("company", "owner_user")

    def delete_through_services(
        self, request: HttpRequest, objects: list[Stack]
    ) -> None:
        for stack in objects:
            services.delete_stack(stack=stack)


@admin.register(StackItem)
class StackItemAdmin(
    DeletesThroughServices,
    SafeAutocompleteAdmin,
    RefreshesCachedPages,
    admin.ModelAdmin[StackItem],
):
    list_display = ["tool", "stack", "source", "detected_file", "added_by", "added_at"]
    list_filter = ["source", "added_at"]
    list_select_related = ["tool", "stack__company", "stack__owner_user", "added_by"]
    search_fields = ["tool__name", "stack__name", "stack__company__name", "note"]
    autocomplete_fields = ["tool", "stack", "added_by"]
    readonly_fields = [
        "stack",
        "tool",
        "source",
        "detected_file",
        "detected_from",
        "detected_at",
        "added_by",
        "added_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_through_services(
        self, request: HttpRequest, objects: list[StackItem]
    ) -> None:
        for item in objects:  # taken out of its stack, with its history
            services.remove_tool_from_stack(
                stack=item.stack,
                tool=item.tool,
                removed_by=acting_member(request),
            )


@admin.register(StackHistory)
class StackHistoryAdmin(SafeAutocompleteAdmin, admin.ModelAdmin[StackHistory]):
    list_display = ["tool_name", "action", "stack", "source", "actor", "created_at"]
    list_filter = ["action", "source", "created_at"]
    list_select_related = ["stack", "actor"]
    search_fields = ["tool_name", "stack__name", "actor__username"]
    autocomplete_fields = ["stack", "tool", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ToolPairing)
class ToolPairingAdmin(SafeAutocompleteAdmin, admin.ModelAdmin[ToolPairing]):
    list_display = ["tool", "other", "stack_count"]
    list_select_related = ["tool", "other"]
    search_fields = ["tool__name", "other__name"]
    autocomplete_fields = ["tool", "other"]
    ordering = ["-stack_count"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
