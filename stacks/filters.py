"""Filters and sort orders of the company and stack listings, kept in the URL."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from stacks.models import (
    Company,
    CompanySize,
    Industry,
    Stack,
    StackHistory,
    StackItem,
)
from tools.models import Tool

# The first entry is the default order, so the select shows what applies.
COMPANY_SORTS = {
    "followed": ("Most followed", ["-follower_count", "-tool_count", "name"]),
    "name": ("Name", ["name"]),
    "largest": ("Largest stack", ["-tool_count", "name"]),
    "newest": ("Newest", ["-created_at", "name"]),
}
STACK_SORTS = {
    "updated": ("Recently updated", ["-updated_at", "-pk"]),
    "largest": ("Largest", ["-item_count", "-updated_at", "-pk"]),
    "newest": ("Newest", ["-created_at", "-pk"]),
}


class ToolSlugFilterMixin:
    """``?tool=<slug>``: only rows whose stacks list that tool.

    The tool is looked up once, so the page can show its name; an unknown
    slug matches nothing rather than everything.
    """

    tool: Tool | None = None

    def find_tool(self, value: str) -> Tool | None:
        if self.tool is None or self.tool.slug != value:
            self.tool = (
                Tool.objects.approved().filter(slug=value.strip().lower()).first()
            )
        return self.tool


class CompanyFilter(ToolSlugFilterMixin, django_filters.FilterSet):
    industry = django_filters.ChoiceFilter(
        choices=Industry.choices, empty_label="All industries"
    )
    size = django_filters.ChoiceFilter(
        label="Size", choices=CompanySize.choices, empty_label="Any size"
    )
    tool = django_filters.CharFilter(
        label="Uses tool", method="filter_tool", help_text="A tool's slug, e.g. django"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in COMPANY_SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Company
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Company]:
        queryset: QuerySet[Company] = super().qs
        if (
            not self.is_bound
            or not self.form.is_valid()
            or not self.form.cleaned_data.get("sort")
        ):
            queryset = queryset.order_by(*COMPANY_SORTS["followed"][1])
        return queryset

    def filter_tool(self, queryset: QuerySet[Company], name: str, value: str) -> Any:
        tool = self.find_tool(value)
        return queryset.using_tool(tool) if tool else queryset.none()  # type: ignore[attr-defined]  # a StackQuerySet method; django-filter passes its queryset untyped

    def sort_by(self, queryset: QuerySet[Company], name: str, value: str) -> Any:
        return queryset.order_by(*COMPANY_SORTS[value][1])


class StackFilter(ToolSlugFilterMixin, django_filters.FilterSet):
    industry = django_filters.ChoiceFilter(
        field_name="company__industry",
        choices=Industry.choices,
        empty_label="All industries",
    )
    tool = django_filters.CharFilter(
        label="Uses tool", method="filter_tool", help_text="A tool's slug, e.g. react"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in STACK_SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Stack
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Stack]:
        queryset: QuerySet[Stack] = super().qs
        if (
            not self.is_bound
            or not self.form.is_valid()
            or not self.form.cleaned_data.get("sort")
        ):
            queryset = queryset.order_by(*STACK_SORTS["updated"][1])
        return queryset

    def filter_tool(self, queryset: QuerySet[Stack], name: str, value: str) -> Any:
        tool = self.find_tool(value)
        if tool is None:
            return queryset.none()
        return queryset.filter(
            pk__in=StackItem.objects.filter(tool=tool).values("stack")
        )

    def sort_by(self, queryset: QuerySet[Stack], name: str, value: str) -> Any:
        return queryset.order_by(*STACK_SORTS[value][1])


class HistoryFilter(django_filters.FilterSet):
    """``?day=2026-12-07``: one day's changes of a stack (a day in UTC, as
    the feed groups them), which a feed line's "more changes" links to."""

    day = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date",
        label="Day",
        help_text="A day as year-month-day, e.g. 2026-12-07.",
    )

    class Meta:
        model = StackHistory
        fields: list[str] = []
