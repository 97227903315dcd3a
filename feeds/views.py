"""The personal feed page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.models import MemberFollow, MemberMute, User
from feeds import services
from feeds.events import BadCursorError, Reader, feed_page
from feeds.forms import ReadingForm
from feeds.models import Reading
from feeds.notifications import notifications_for, unread_count
from stacks.models import Company, CompanyFollow, CompanyMute
from stackshare.caching import STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest
from tools.models import CategoryFollow, Tool, ToolFollow, ToolMute

SUGGESTED_TOOLS = 8
SUGGESTED_COMPANIES = 4


def feed_share(request: HttpRequest) -> tuple[str, list[str]]:
    """Performance: a member's feed is kept for them under the versions of
    what they follow and of their feed settings (feeds.services), so reading
    it again costs their session's two queries until one of them moves (see
    Reader.page_versions)."""
    user: User = request.user  # type: ignore[assignment]  # cache_page asks only for signed-in readers
    return str(user.pk), Reader.for_user(user).page_versions()


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
@cache_page([STRUCTURE], params=["after"], reader=feed_share, anonymous=False)
def feed(request: HtmxHttpRequest) -> HttpResponse:
    """A member's feed, or the whole site's for readers who are not signed in.

    "More" loads the next page below the last item (htmx) or as a page of
    its own (without JavaScript); either way its cursor keeps the place.
    """
    user = request.user if isinstance(request.user, User) else None
    return feed_response(request, Reader.for_user(user))


def feed_response(
    request: HtmxHttpRequest, reader: Reader, reading: Reading | None = None
) -> HttpResponse:
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
    if wants_fragment(request) and request.GET.get("after"):
        return render(request, "feeds/feed.html#items", context)
    user = reader.user
    if user is not None:
        reading = reading or reading_of(user)
        context["reading"] = reading
        context["reading_form"] = ReadingForm(instance=reading)
    if user is not None and not reader.follows_anything:
        context["suggested_tools"] = list(
            Tool.objects.approved()
            .filter(is_deprecated=False)
            .order_by("-follower_count", "-stack_count", "name")[:SUGGESTED_TOOLS]
        )
        context["suggested_companies"] = list(
            Company.objects.most_followed()[:SUGGESTED_COMPANIES]
        )
    return render(request, "feeds/feed.html", context)


@login_required
@require_safe
def following(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything the member follows or has muted, each with its button."""
    user = request.user
    context: dict[str, Any] = {
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
        "members": [
            follow.followed
            for follow in MemberFollow.objects.filter(follower=user)
            .select_related("followed")
            .order_by("followed__username")
        ],
        "companies": [
            follow.company
            for follow in CompanyFollow.objects.filter(user=user)
            .select_related("company")
            .order_by("company__name")
        ],
        "muted_companies": [
            mute.company
            for mute in CompanyMute.objects.filter(user=user)
            .select_related("company")
            .order_by("company__name")
        ],
        "muted_members": [
            mute.muted
            for mute in MemberMute.objects.filter(user=user)
            .select_related("muted")
            .order_by("muted__username")
        ],
        "muted_tools": [
            mute.tool
            for mute in ToolMute.objects.filter(user=user)
            .select_related("tool")
            .order_by("tool__name")
        ],
    }
    context["muted_count"] = sum(
        len(context[key]) for key in ("muted_tools", "muted_members", "muted_companies")
    )
    return render(request, "feeds/following.html", context)


def reading_of(user: User) -> Reading:
    """The member's feed settings, made on first use."""
    reading, _ = Reading.objects.get_or_create(user=user)
    return reading


@login_required
@require_POST
def reading_update(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the digest setting, or give the private feed a new address."""
    reading = reading_of(request.user)
    if "new_key" in request.POST:
        services.renew_feed_key(reading=reading)
        messages.success(
            request, "Your private feed has a new address; the old one no longer works."
        )
        return redirect("feeds:feed")
    form = ReadingForm(request.POST, instance=reading)
    if not form.is_valid():
        messages.error(request, "Pick how often you want the digest.")
        return redirect("feeds:feed")
    services.set_digest(reading=reading, digest=form.cleaned_data["digest"])
    messages.success(request, "Your digest setting is saved.")
    return redirect("feeds:feed")


@login_required
@require_safe
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    reading = reading_of(user)
    return render(
        request,
        "feeds/notifications.html",
        {
            "notifications": notifications_for(
                user, seen_at=reading.notifications_seen_at
            )
        },
    )


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark every notification read."""
    Reading.objects.update_or_create(
        user=request.user, defaults={"notifications_seen_at": timezone.now()}
    )
    if request.htmx:
        return render(request, "feeds/notifications.html#unread-badge", {"unread": 0})
    return redirect("feeds:notifications")


@never_cache
@require_safe
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, fetched after the page loads.

    Kept out of the page itself, so every page's HTML stays the same for
    every member and its query budget does not grow by a header.
    """
    user = request.user
    if not isinstance(user, User):
        return HttpResponse("")
    seen_at = (
        Reading.objects.filter(user=user)
        .values_list("notifications_seen_at", flat=True)
        .first()
    )
    return render(
        request,
        "feeds/notifications.html#unread-badge",
        {"unread": unread_count(user, seen_at=seen_at)},
    )
