"""The catalog's filters and sort orders, kept in the URL."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from tools.models import Category, CategoryLevel, Tool, ToolQuerySet

SORTS = {
    "stacks": (
        "Most stacks",
        ["is_deprecated", "-stack_count", "-follower_count", "name"],
    ),
    "followers": ("Most followers", ["is_deprecated", "-follower_count", "name"]),
    "votes": ("Most votes", ["is_deprecated", "-vote_count", "name"]),
    "stars": ("Most GitHub stars", ["is_deprecated", "-github_stars", "name"]),
    "newest": ("Newest", ["-created_at", "name"]),
    "trending": ("Trending", ["is_deprecated", "-trending", "-stack_count", "name"]),
}
YES_NO = [("true", "Yes"), ("false", "No")]


class CatalogPlaceFilters:
    """The layer and category a tool's function sits under, for FilterSets
    whose ``layer`` and ``category`` filters name these methods."""

    def filter_layer(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        return queryset.filter(function__parent__parent__slug=value)

    def filter_category(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        return queryset.filter(function__parent__slug=value)


class ToolFilter(CatalogPlaceFilters, django_filters.FilterSet):
    """Filter approved tools by place in the tree, licence and repository; sort them."""

    layer = django_filters.ChoiceFilter(
        label="Layer", method="filter_layer", empty_label="All layers"
    )
    category = django_filters.ChoiceFilter(
        label="Category", method="filter_category", empty_label="All categories"
    )
    function = django_filters.ChoiceFilter(
        label="Function", method="filter_function", empty_label="All functions"
    )
    open_source = django_filters.ChoiceFilter(
        label="Open source",
        choices=YES_NO,
        method="filter_open_source",
        empty_label="Any",
    )
    license = django_filters.ChoiceFilter(
        label="Licence", method="filter_license", empty_label="Any licence"
    )
    has_repository = django_filters.ChoiceFilter(
        label="Has repository",
        choices=YES_NO,
        method="filter_has_repository",
        empty_label="Any",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Tool
        fields: list[str] = []

    def __init__(
        self, *args: Any, categories: list[Category], licenses: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        by_level: dict[int, list[tuple[str, str]]] = {
            level: [] for level in CategoryLevel.values
        }
        for node in categories:
            by_level[node.level].append((node.slug, node.name))
        self.filters["layer"].extra["choices"] = by_level[CategoryLevel.LAYER]
        self.filters["category"].extra["choices"] = sorted(
            by_level[CategoryLevel.CATEGORY], key=lambda c: c[1]
        )
        self.filters["function"].extra["choices"] = sorted(
            by_level[CategoryLevel.FUNCTION], key=lambda c: c[1]
        )
        self.filters["license"].extra["choices"] = [(name, name) for name in licenses]

    @property
    def qs(self) -> ToolQuerySet:
        queryset: ToolQuerySet = super().qs
        # Sorting is a filter method, which django-filter skips when the
        # value is missing or invalid; the default order applies then.
        if (
            not self.is_bound
            or not self.form.is_valid()
            or not self.form.cleaned_data.get("sort")
        ):
            queryset = queryset.order_by(*SORTS["stacks"][1])
        return queryset

    def filter_function(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        return queryset.filter(Q(function__slug=value) | Q(tags__slug=value)).distinct()

    def filter_open_source(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        return queryset.filter(is_open_source=value == "true")

    def filter_license(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        return queryset.filter(license=value)

    def filter_has_repository(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        has = ~Q(repository_url="")
        return queryset.filter(has if value == "true" else ~has)

    def sort_by(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        if value == "trending":
            queryset = queryset.with_trending()  # type: ignore[attr-defined]  # a ToolQuerySet method; django-filter passes its queryset untyped
        return queryset.order_by(*SORTS[value][1])
