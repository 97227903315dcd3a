"""The back office for the catalog: moderators approve, merge, deprecate and curate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accounts.admin import SuperusersReassign
from accounts.models import User
from stackshare.admin_mixins import (
    DeletesThroughServices,
    HidesThroughServices,
    RefreshesCachedPages,
)
from stackshare.admin_widgets import SafeAutocompleteAdmin
from stackshare.types import acting_member
from tools import services
from tools.models import (
    Alias,
    Alternative,
    Category,
    CategoryLevel,
    ProCon,
    Synonym,
    Tool,
    ToolRedirect,
    ToolStatus,
    UnknownPackage,
)
from tools.search import index_tools


class AliasInline(admin.TabularInline[Alias, Tool]):
    model = Alias
    extra = 1


class AlternativeInline(SafeAutocompleteAdmin, admin.TabularInline[Alternative, Tool]):
    model = Alternative
    fk_name = "tool"
    extra = 1
    autocomplete_fields = ["alternative"]


class MergeForm(forms.Form):
    """Pick the tool that survives a merge."""

    target = forms.ModelChoiceField(
        queryset=Tool.objects.none(), label="Keep this tool"
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, tools: QuerySet[Tool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = tools  # type: ignore[attr-defined]  # a ModelChoiceField; form.fields is typed as plain Field


@admin.register(Tool)
class ToolAdmin(
    SafeAutocompleteAdmin,
    SuperusersReassign,
    RefreshesCachedPages,
    admin.ModelAdmin[Tool],
):
    list_display = [
        "name",
        "slug",
        "function",
        "status",
        "is_deprecated",
        "stack_count",
        "follower_count",
        "vote_count",
        "github_stars",
    ]
    # Layers only: the 18 categories made a filter column longer than the
    # list; a category or function is found by typing its name instead.
    list_filter = [
        "status",
        "is_deprecated",
        "is_open_source",
        "function__parent__parent",
    ]
    list_select_related = ["function"]
    search_fields = [
        "name",
        "slug",
        "aliases__name",
        "website",
        "repository_url",
        "function__name",
        "function__parent__name",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successor", "submitted_by"]
    filter_horizontal = ["tags"]
    readonly_fields = [
        "stack_count",
        "follower_count",
        "vote_count",
        "github_synced_at",
        "github_pushed_at",
        "created_at",
    ]
    inlines = [AliasInline, AlternativeInline]
    attribution_fields = ("submitted_by",)
    actions = ["approve_selected", "reject_selected", "merge_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "function",
                    "tags",
                    "tagline",
                    "description",
                    "logo",
                ]
            },
        ),
        (
            "Links",
            {"fields": ["website", "repository_url", "license", "is_open_source"]},
        ),
        (
            "Moderation",
            {"fields": ["status", "submitted_by", "is_deprecated", "successor"]},
        ),
        ("Statistics", {"fields": [*readonly_fields, "github_stars", "github_forks"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tool]:
        return super().get_queryset(request).select_related("function")

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Tool],
        formsets: list[Any],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        # The package names of the inline may have changed: search finds
        # the tool by them.
        index_tools(tool_ids=[form.instance.pk])

    def save_model(
        self, request: HttpRequest, obj: Tool, form: forms.ModelForm[Tool], change: bool
    ) -> None:
        # Edits here are moderation too: the service records them.
        services.save_tool_edit(
            tool=obj,
            changed_fields=form.changed_data,
            actor=acting_member(request),
        )

    @admin.action(description="Approve selected tools", permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Tool]) -> None:
        for tool in queryset.exclude(status=ToolStatus.APPROVED):
            services.approve_tool(tool=tool, actor=acting_member(request))
        self.message_user(request, "Approved.", messages.SUCCESS)

    @admin.action(description="Reject selected tools", permissions=["change"])
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Tool]) -> None:
        for tool in queryset.exclude(status=ToolStatus.REJECTED):
            services.reject_tool(tool=tool, actor=acting_member(request))
        self.message_user(request, "Rejected.", messages.SUCCESS)

    @admin.action(description="Merge selected tools into one…", permissions=["change"])
    def merge_selected(
        self, request: HttpRequest, queryset: QuerySet[Tool]
    ) -> HttpResponse | None:
        if queryset.count() < 2:
            self.message_user(
                request, "Select at least two tools to merge.", messages.WARNING
            )
            return None
        form = MergeForm(
            request.POST if "confirm" in request.POST else None, tools=queryset
        )
        if form.is_valid():
            target = form.cleaned_data["target"]
            try:
                for source in queryset.exclude(pk=target.pk):
                    services.merge_tools(
                        source=source,
                        target=target,
                        actor=acting_member(request),
                        reason=form.cleaned_data["reason"],
                    )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return None
            self.message_user(request, f"Merged into {target.name}.", messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/tools/merge_tools.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge tools",
                "form": form,
                "tools": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )


@admin.register(Category)
class CategoryAdmin(RefreshesCachedPages, admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "level", "parent", "position"]
    list_filter = ["level", "parent__parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["level", "parent__name", "position", "name"]


@admin.register(ProCon)
class ProConAdmin(
    SafeAutocompleteAdmin,
    SuperusersReassign,
    RefreshesCachedPages,
    HidesThroughServices[ProCon],
):
    list_display = [
        "text",
        "kind",
        "tool",
        "vote_count",
        "is_hidden",
        "author",
        "created_at",
    ]
    list_filter = ["kind", "is_hidden", "created_at"]
    list_select_related = ["tool", "author"]
    search_fields = ["text", "tool__name", "author__username"]
    autocomplete_fields = ["tool", "author"]
    readonly_fields = ["vote_count", "normalized"]
    attribution_fields = ("author",)

    def hide(self, obj: ProCon, *, actor: User, reason: str) -> None:
        services.set_procon_hidden(procon=obj, hidden=True, actor=actor, reason=reason)

    def restore(self, obj: ProCon, *, actor: User, reason: str) -> None:
        services.set_procon_hidden(procon=obj, hidden=False, actor=actor, reason=reason)


@admin.register(ToolRedirect)
class ToolRedirectAdmin(
    SafeAutocompleteAdmin, RefreshesCachedPages, admin.ModelAdmin[ToolRedirect]
):
    list_display = ["old_slug", "tool"]
    list_select_related = ["tool"]
    search_fields = ["old_slug", "tool__name"]
    autocomplete_fields = ["tool"]


class SynonymForm(forms.ModelForm[Synonym]):
    """Refuses a term that would find another tool (``check_synonym``)."""

    class Meta:
        model = Synonym
        fields = ["term", "tool"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("term") and data.get("tool"):
            try:
                data["term"] = services.check_synonym(
                    term=data["term"], tool=data["tool"], synonym=self.instance
                )
            except ValidationError as error:
                self.add_error("term", error)
        return data


@admin.register(Synonym)
class SynonymAdmin(
    DeletesThroughServices, SafeAutocompleteAdmin, admin.ModelAdmin[Synonym]
):
    """Other names search finds tools by; the catalog file seeds them."""

    form = SynonymForm
    list_display = ["term", "tool"]
    list_select_related = ["tool"]
    search_fields = ["term", "tool__name", "tool__slug"]
    autocomplete_fields = ["tool"]

    def save_model(
        self,
        request: HttpRequest,
        obj: Synonym,
        form: forms.ModelForm[Synonym],
        change: bool,
    ) -> None:
        services.save_synonym(synonym=obj, actor=acting_member(request))

    def delete_through_services(
        self, request: HttpRequest, objects: list[Synonym]
    ) -> None:
        # The service re-indexes the tools, and records the edit.
        services.delete_synonyms(synonyms=objects, actor=acting_member(request))


# --- Demand ---------------------------------------------------------------------


class AliasTargetForm(forms.Form):
    """Name the existing tool the selected packages mean."""

    tool = forms.SlugField(
        label="Tool (its slug)", help_text="For example “postgresql” or “react”."
    )

    def clean_tool(self) -> Tool:
        slug = self.cleaned_data["tool"]
        tool = Tool.objects.approved().filter(slug=slug).first()
        if tool is None:
            raise ValidationError("No approved tool has this slug.")
        return tool


class NewToolForm(forms.Form):
    """What a tool made from an unknown package needs before a moderator describes it."""

    name = forms.CharField(max_length=100)
    function = forms.ModelChoiceField(
        queryset=Category.objects.filter(level=CategoryLevel.FUNCTION).order_by("name")
    )
    website = forms.URLField(max_length=300, required=False, assume_scheme="https")


@admin.register(UnknownPackage)
class UnknownPackageAdmin(admin.ModelAdmin[UnknownPackage]):
    """The most wanted packages the catalog does not know, for moderators to act on."""

    list_display = [
        "display_name",
        "ecosystem",
        "stack_count",
        "scan_count",
        "last_seen",
        "resolved_tool",
    ]
    list_filter = ["ecosystem", ("resolved_tool", admin.EmptyFieldListFilter)]
    list_select_related = ["resolved_tool"]
    search_fields = ["name", "display_name"]
    ordering = ["-stack_count", "-scan_count", "ecosystem", "name"]
    fields = (
        "ecosystem",
        "display_name",
        "name",
        "stack_count",
        "scan_count",
        "first_seen",
        "last_seen",
        "resolved_tool",
    )
    readonly_fields = fields
    actions = ["create_tool", "make_alias"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # counted by scans and imports, never entered by hand

    def _page(
        self,
        request: HttpRequest,
        queryset: QuerySet[UnknownPackage],
        *,
        action: str,
        title: str,
        form: forms.Form,
        lead: str,
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/tools/unknown_package_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "lead": lead,
                "form": form,
                "packages": queryset,
                "action": action,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(
        description="Create a tool from it (pre-filled)", permissions=["change"]
    )
    def create_tool(
        self, request: HttpRequest, queryset: QuerySet[UnknownPackage]
    ) -> HttpResponse | None:
        package = queryset.first()
        if package is None or queryset.count() > 1:
            self.message_user(
                request, "Select one package to make a tool of.", messages.WARNING
            )
            return None
        form = NewToolForm(
            request.POST if "confirm" in request.POST else None,
            initial={"name": package.display_name, "website": package.registry_url},
        )
        if form.is_valid():
            tool = services.create_tool_from_unknown_package(
                package=package,
                name=form.cleaned_data["name"],
                function=form.cleaned_data["function"],
                website=form.cleaned_data["website"],
                actor=acting_member(request),
            )
            self.message_user(
                request,
                f"Created {tool.name} (pending) with the alias {package}; "
                "describe it and approve it.",
                messages.SUCCESS,
            )
            return None
        return self._page(
            request,
            queryset,
            action="create_tool",
            title="Create a tool from an unknown package",
            form=form,
            lead="The new tool waits for review, with this package as its alias.",
        )

    @admin.action(
        description="Make it an alias of an existing tool", permissions=["change"]
    )
    def make_alias(
        self, request: HttpRequest, queryset: QuerySet[UnknownPackage]
    ) -> HttpResponse | None:
        form = AliasTargetForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            tool = form.cleaned_data["tool"]
            added = services.alias_unknown_packages(
                packages=list(queryset),
                tool=tool,
                actor=acting_member(request),
            )
            self.message_user(
                request,
                f"{len(added)} alias{'es' if len(added) != 1 else ''} added to {tool.name}.",
                messages.SUCCESS,
            )
            return None
        return self._page(
            request,
            queryset,
            action="make_alias",
            title="Make packages aliases of a tool",
            form=form,
            lead="Later scans match these packages to the tool.",
        )
