from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from stackshare.types import acting_member
from stackups.models import Stackup
from stackups.services import edit_differences


@admin.register(Stackup)
class StackupAdmin(admin.ModelAdmin[Stackup]):
    """Moderators write the "What are the differences?" text here."""

    list_display = [
        "__str__",
        "view_count",
        "differences_edited_by",
        "differences_edited_at",
    ]
    list_select_related = ["differences_edited_by"]
    search_fields = ["slug"]
    ordering = ["-view_count"]
    fields = [
        "slug",
        "view_count",
        "differences",
        "differences_edited_by",
        "differences_edited_at",
    ]
    readonly_fields = [
        "slug",
        "view_count",
        "differences_edited_by",
        "differences_edited_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A stackup exists once someone opens its address.
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: Stackup,
        form: forms.ModelForm[Stackup],
        change: bool,
    ) -> None:
        if "differences" in form.changed_data:
            edit_differences(
                stackup=obj, text=obj.differences, editor=acting_member(request)
            )
        else:
            super().save_model(request, obj, form, change)
