"""Back-office behaviour shared by several apps' admins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from stackshare.caching import STRUCTURE, bump
from stackshare.types import acting_member

if TYPE_CHECKING:
    from accounts.models import User


class DeletesThroughServices:
    """Rows that an app's service deletes, never the admin directly.

    Deleting a stack, a company, a stack entry, a membership or a synonym
    moves counters, history and search indexes, so the delete page and
    Django's own "Delete selected" action (with its confirmation page) both
    end in :meth:`delete_through_services`, which each admin writes with its
    app's service.
    """

    def delete_through_services(self, request: HttpRequest, objects: list[Any]) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.delete_through_services(request, [obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self.delete_through_services(request, list(queryset))


class DeletedWithWhatTheyDescribe:
    """Admin mixin for rows that describe another row (a post's decision
    record, a stack entry's radar ring, moves derived from a stack's
    history, a company's drafts): never deleted from their own pages, but
    deleting what they describe (a member, a company, a stack, a post) in
    the back office takes them along.

    Django's delete confirmation asks the admin of every row the deletion
    cascades to for its delete permission, so a plain "no" here made those
    deletions impossible, even for a superuser removing a spammer. The
    model's own delete permission still applies (moderators have none).
    """

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        opts = self.model._meta  # type: ignore[attr-defined]  # a mixin for ModelAdmin, which has the model
        match = request.resolver_match
        own_page = match is not None and str(match.url_name).startswith(
            f"{opts.app_label}_{opts.model_name}_"
        )
        return not own_page and super().has_delete_permission(request, obj)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (shown to the author)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


class HidesThroughServices[M: Model](admin.ModelAdmin[M]):
    """ "Hide selected…" and "Restore selected…" for what members post.

    Both actions first ask the moderator for a reason on a page of their own
    (the author is shown it), then call :meth:`hide` or :meth:`restore` on
    each row; each admin writes those with its app's service, so the back
    office leaves the same moderation log as the site.
    """

    actions = ["hide_selected", "restore_selected"]

    def hide(self, obj: Any, *, actor: User, reason: str) -> None:
        raise NotImplementedError

    def restore(self, obj: Any, *, actor: User, reason: str) -> None:
        raise NotImplementedError

    @admin.action(
        description="Hide selected %(verbose_name_plural)s…", permissions=["change"]
    )
    def hide_selected(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> HttpResponse | None:
        return self.ask_reason(request, queryset, action="hide_selected", verb="Hide")

    @admin.action(
        description="Restore selected %(verbose_name_plural)s…", permissions=["change"]
    )
    def restore_selected(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> HttpResponse | None:
        return self.ask_reason(
            request, queryset, action="restore_selected", verb="Restore"
        )

    def ask_reason(
        self, request: HttpRequest, queryset: QuerySet[Any], *, action: str, verb: str
    ) -> HttpResponse | None:
        """Show the reason page; once it is sent, hide or restore each row."""
        form = ReasonForm(
            request.POST if request.POST.get("confirm") == "yes" else None
        )
        if form.is_bound and form.is_valid():
            apply = self.hide if verb == "Hide" else self.restore
            actor = acting_member(request)
            for obj in queryset:
                apply(obj, actor=actor, reason=form.cleaned_data["reason"])
            self.message_user(
                request, f"{verb}: {queryset.count()} item(s).", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/hide_or_restore.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{verb} {queryset.count()} item(s)",
                "objects": list(queryset[:50]),
                "pks": list(queryset.values_list("pk", flat=True)),
                "form": form,
                "action": action,
                "verb": verb,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


class RefreshesCachedPages:
    """Back-office edits (saved with inlines, or deleted) show at once on
    cached pages: they bump ``STRUCTURE`` (``stackshare.caching``), and are
    rare."""

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Any],
        formsets: list[Any],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method
        bump(STRUCTURE)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method
        bump(STRUCTURE)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method
        bump(STRUCTURE)
