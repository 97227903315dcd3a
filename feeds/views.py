"""The personal feed page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from feeds.events import BadCursorError, Reader, feed_page
from tools.models import CategoryFollow, Tool, ToolFollow, ToolMute

SUGGESTED_TOOLS = 8


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
@vary_on_headers("HX-Request")
def feed(request: HttpRequest) -> HttpResponse:
    """A member's feed, or the whole site's for readers who are not signed in.

    "More" loads the next page below the last item (htmx) or as a page of
    its own (without JavaScript); either way its cursor keeps the place.
    """
    user = request.user if isinstance(request.user, User) else None
    reader = Reader.for_user(user)
    try:
        page = feed_page(reader, cursor=request.GET.get("after"))
    except BadCursorError:
        return render(
            request,
            "feeds/feed.html",
            {
                "reader": reader,
                "error": "That “more” link is not valid. Here is the start of the feed.",
            },
            status=400,
        )
    context: dict[str, object] = {"reader": reader, "page": page}
    if is_htmx(request) and request.GET.get("after"):
        return render(request, "feeds/feed.html#items", context)
    if user is not None and not reader.follows_anything:
        context["suggested_tools"] = list(
            Tool.objects.approved()
            .filter(is_deprecated=False)
            .order_by("-follower_count", "-stack_count", "name")[:SUGGESTED_TOOLS]
        )
    return render(request, "feeds/feed.html", context)


@login_required
@require_GET
def following(request: HttpRequest) -> HttpResponse:
    """Everything the member follows or has muted, each with its button."""
    user = request.user
    return render(
        request,
        "feeds/following.html",
        {
            "tools": [
                follow.tool
                for follow in ToolFollow.objects.filter(user=user)
                .select_related("tool")
                .order_by("tool__name")
            ],
            "categories": [
                follow.category
                for follow in CategoryFollow.objects.filter(user=user)
                .select_related("category")
                .order_by("category__name")
            ],
            "muted_tools": [
                mute.tool
                for mute in ToolMute.objects.filter(user=user)
                .select_related("tool")
                .order_by("tool__name")
            ],
        },
    )
