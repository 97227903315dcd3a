"""Browsing the catalog: the filtered tool list and the category pages, with following a category."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from changes.trends import Movers, adoption_movers
from stackshare.caching import (
    LISTS,
    STRUCTURE,
    adoption_version,
    cache_page,
    category_version,
    kept,
)
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.toggles import toggle
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest
from tools import services
from tools.filters import ToolFilter
from tools.models import Category, CategoryFollow, CategoryLevel, Tool

PAGE_SIZE = 24


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
# Performance: anonymous readers are served from the shared cache until a
# write bumps the catalog's versions (stackshare.caching).
@cache_page([STRUCTURE, LISTS], params=[*ToolFilter.base_filters, "page"])
def tool_list(request: HtmxHttpRequest) -> HttpResponse:
    categories = list(Category.objects.order_by("position", "name"))
    licenses = list(
        Tool.objects.approved()
        .exclude(license="")
        .order_by("license")
        .values_list("license", flat=True)
        .distinct()
    )
    filterset = ToolFilter(
        request.GET or None,
        queryset=Tool.objects.approved().with_category_path(),
        categories=categories,
        licenses=licenses,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = (
        "tools/tool_list.html#results"
        if wants_fragment(request)
        else "tools/tool_list.html"
    )
    return render(
        request,
        template_name,
        {"filterset": filterset, "page": page},
    )


@require_safe
@cache_page(
    lambda kwargs: [STRUCTURE, category_version(kwargs["slug"])], params=["page"]
)  # see tool_list
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(
        Category.objects.select_related("parent__parent"), slug=slug
    )
    # Performance: the children with their tool counts and the movers are
    # kept under the category's stacks figures (adoption_version), which
    # follows and votes leave alone: the page they expire is rendered again
    # with its tool list's two queries.
    children, movers = kept(
        f"category-figures:{slug}",
        partial(category_figures, category),
        versions=[STRUCTURE, adoption_version(slug)],
    )
    tools = Tool.objects.approved().in_category(category).with_category_path().ranked()
    page = Paginator(tools, PAGE_SIZE).get_page(request.GET.get("page"))
    is_following = (
        request.user.is_authenticated
        and CategoryFollow.objects.filter(user=request.user, category=category).exists()
    )
    return render(
        request,
        "tools/category_detail.html",
        {
            "category": category,
            "children": children,
            "page": page,
            "is_following": is_following,
            "movers": movers,
        },
    )


def category_figures(category: Category) -> tuple[list[Category], Movers]:
    """The category's children, each with its count of approved tools (one
    grouped query), and its rising and declining tools (changes app; a
    grouped query and the names of those shown)."""
    children = list(category.children.order_by("position", "name"))
    counts: dict[int, int] = {}
    if children:
        level_field = (
            "function"
            if category.level == CategoryLevel.CATEGORY
            else "function__parent"
        )
        counts = dict(
            Tool.objects.approved()
            .filter(**{f"{level_field}__in": children})
            .order_by()
            .values(level_field)
            .annotate(n=Count("pk"))
            .values_list(level_field, "n")
        )
    for child in children:
        child.tool_count = counts.get(child.pk, 0)  # type: ignore[attr-defined]
    return children, adoption_movers(category)


@login_required
@require_POST
def category_follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    user = request.user

    def button(is_on: bool) -> dict[str, object]:
        category.refresh_from_db(fields=["follower_count"])
        return {"category": category, "is_following": is_on}

    return toggle(
        request,
        turn_on=lambda: services.follow_category(user=user, category=category),
        turn_off=lambda: services.unfollow_category(user=user, category=category),
        fragment="tools/category_detail.html#category-follow-button",
        context=button,
        back=category,
    )
