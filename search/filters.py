"""The tools group's filters: where in the catalog tree a tool sits."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from tools.filters import CatalogPlaceFilters
from tools.models import Category, CategoryLevel, Tool


class ToolSearchFilter(CatalogPlaceFilters, django_filters.FilterSet):
    """Narrow found tools to a layer, a category or a function (primary or
    tagged); the ranking stays the search's."""

    layer = django_filters.ChoiceFilter(
        label="Layer", method="filter_layer", empty_label="All layers"
    )
    category = django_filters.ChoiceFilter(
        label="Category", method="filter_category", empty_label="All categories"
    )
    function = django_filters.ChoiceFilter(
        label="Function", method="filter_function", empty_label="All functions"
    )

    class Meta:
        model = Tool
        fields: list[str] = []

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_level: dict[int, list[tuple[str, str]]] = {
            level: [] for level in CategoryLevel.values
        }
        for node in categories:
            by_level[node.level].append((node.slug, node.name))
        self.filters["layer"].extra["choices"] = by_level[CategoryLevel.LAYER]
        for name, level in [
            ("category", CategoryLevel.CATEGORY),
            ("function", CategoryLevel.FUNCTION),
        ]:
            self.filters[name].extra["choices"] = sorted(
                by_level[level], key=lambda choice: choice[1]
            )

    def filter_function(
        self, queryset: QuerySet[Tool], name: str, value: str
    ) -> QuerySet[Tool]:
        tagged = Tool.tags.through.objects.filter(category__slug=value)
        return queryset.filter(
            Q(function__slug=value) | Q(pk__in=tagged.values("tool"))
        )
