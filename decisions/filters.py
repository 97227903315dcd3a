"""The decisions list's filters and sort orders, kept in the URL."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, Q, QuerySet, Value, When

from decisions.models import Decision, DecisionKind, DecisionQuerySet
from tools.models import Category

SORTS = {
    "newest": ("Newest", ["-created_at", "-id"]),
    "upvoted": ("Most upvoted", ["-upvote_count", "-created_at", "-id"]),
    "viewed": ("Most viewed", ["-view_count", "-created_at", "-id"]),
    "unanswered": ("Unanswered advice first", ["-unanswered", "-created_at", "-id"]),
}


class DecisionFilter(django_filters.FilterSet):
    """Filter visible posts by kind, tagged tool, the author's company and layer; sort them."""

    kind = django_filters.ChoiceFilter(
        label="Kind", choices=DecisionKind.choices, empty_label="Decisions and advice"
    )
    tool = django_filters.CharFilter(label="Tool", method="filter_tool", max_length=100)
    company = django_filters.CharFilter(
        label="Company", method="filter_company", max_length=80
    )
    layer = django_filters.ChoiceFilter(
        label="Layer", method="filter_layer", empty_label="All layers"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Decision
        fields: list[str] = []

    def __init__(self, *args: Any, layers: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["layer"].extra["choices"] = [(c.slug, c.name) for c in layers]
        self.form.fields["tool"].widget.attrs.update(
            placeholder="Slug, e.g. postgresql", autocomplete="off"
        )
        self.form.fields["company"].widget.attrs.update(
            placeholder="Company name", autocomplete="organization"
        )

    @property
    def qs(self) -> QuerySet[Decision]:
        queryset: QuerySet[Decision] = super().qs
        if (
            not self.is_bound
            or not self.form.is_valid()
            or not self.form.cleaned_data.get("sort")
        ):
            queryset = queryset.order_by(*SORTS["newest"][1])
        return queryset

    def filter_tool(
        self, queryset: QuerySet[Decision], name: str, value: str
    ) -> QuerySet[Decision]:
        value = value.strip().lower()
        if not value:
            return queryset
        return queryset.filter(tool_tags__tool__slug=value)

    def filter_company(
        self, queryset: QuerySet[Decision], name: str, value: str
    ) -> QuerySet[Decision]:
        # A company page's slug or name, or the free text of a profile.
        value = " ".join(value.split())
        if not value:
            return queryset
        return queryset.filter(
            Q(company__slug=value.lower())
            | Q(company__name__iexact=value)
            | Q(company__isnull=True, author__company_name__iexact=value)
        )

    def filter_layer(
        self, queryset: DecisionQuerySet, name: str, value: str
    ) -> DecisionQuerySet:
        return queryset.in_layer(value)

    def sort_by(
        self, queryset: QuerySet[Decision], name: str, value: str
    ) -> QuerySet[Decision]:
        if value == "unanswered":
            queryset = queryset.annotate(
                unanswered=Case(
                    When(kind=DecisionKind.ADVICE, comment_count=0, then=Value(1)),
                    default=Value(0),
                )
            )
        return queryset.order_by(*SORTS[value][1])
