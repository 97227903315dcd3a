"""Reading posts: the list, a post with its discussion; and the member and problem page all decision views use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from changes.models import declared_moves, record_parts, with_record_flags
from decisions import services
from decisions.filters import DecisionFilter
from decisions.forms import CommentForm
from decisions.models import (
    Comment,
    Decision,
    DecisionVote,
    can_moderate,
    decision_page_version,
)
from decisions.threads import build_threads
from stackshare import viewcounts
from stackshare.caching import STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.pagination import CappedPaginator
from stackshare.plans import keeps_plans
from stackshare.types import HtmxHttpRequest
from tools.models import Category

PAGE_SIZE = 20
THREADS_SHOWN = 30


def member(request: HttpRequest) -> User:
    """The signed-in member (login_required has made sure there is one)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def problem(
    request: HttpRequest,
    *,
    title: str,
    text: str,
    status: int,
    back_url: str = "",
    back_label: str = "",
) -> HttpResponse:
    """A short page that says what went wrong and offers a way on."""
    return render(
        request,
        "decisions/problem.html",
        {
            "title": title,
            "text": text,
            "back_url": back_url or reverse("decisions:list"),
            "back_label": back_label or "All decisions and advice",
        },
        status=status,
    )


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def decision_list(request: HtmxHttpRequest) -> HttpResponse:
    layers = list(Category.objects.layers())
    filterset = DecisionFilter(
        request.GET or None,
        queryset=Decision.objects.visible().with_cards(),
        layers=layers,
    )
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "decisions/decision_list.html"
    if wants_fragment(request):
        template_name += "#results"
    return render(
        request,
        template_name,
        {"filterset": filterset, "page": page},
    )


def get_readable(request: HttpRequest, pk: int) -> Decision | HttpResponse:
    """The post if this reader may see it, else the page that says why not.

    ``get`` rather than ``first``: ordering makes Django compare every
    selected column (about sixty with the author and company)."""
    try:
        decision = with_record_flags(Decision.objects.with_cards()).get(pk=pk)
    except Decision.DoesNotExist:
        return problem(
            request,
            title="No such post",
            text="There is no decision or advice thread at this address.",
            status=404,
        )
    if decision.is_deleted:
        return problem(
            request,
            title="This post was deleted",
            text="Its author took it down, so it and its discussion are gone.",
            status=410,
        )
    if decision.is_hidden and not (
        decision.author_id == request.user.pk or can_moderate(request.user)
    ):
        return problem(
            request,
            title="This post is not available",
            text="A moderator removed it from the site.",
            status=404,
        )
    return decision


def detail_context(
    request: HttpRequest,
    decision: Decision,
    *,
    comment_form: CommentForm | None = None,
    comment_error: str = "",
) -> dict[str, object]:
    user = request.user
    moderator = can_moderate(user)
    comments = list(
        decision.comments.select_related("author").order_by("created_at", "id")
    )
    threads = build_threads(
        comments,
        viewer_id=user.pk if user.is_authenticated else None,
        moderator=moderator,
    )
    # A long discussion opens on its most recently active threads; the
    # rest are one link away (and comment links ask for all of them).
    shown = threads if request.GET.get("comments") == "all" else threads[:THREADS_SHOWN]
    has_voted = (
        user.is_authenticated
        and DecisionVote.objects.filter(user=user, decision=decision).exists()
    )
    return {
        "decision": decision,
        "threads": shown,
        "more_threads": len(threads) - len(shown),
        "has_voted": has_voted,
        "can_edit": user.is_authenticated
        and (decision.author_id == user.pk or moderator),
        "is_moderator": moderator,
        "comment_form": comment_form or CommentForm(),
        "comment_error": comment_error,
        "replying_to": _replying_to(comment_form, comments),
        # The move it explains, if marked as a migration (changes app).
        "declared_moves": declared_moves(decision),
        # Its record: status, context, outcome, supersession (changes app).
        "record_parts": record_parts(decision),
    }


def _replying_to(form: CommentForm | None, comments: list[Comment]) -> Comment | None:
    if form is None or not form.is_bound:
        return None
    parent_id = form.data.get("parent")
    return next((c for c in comments if str(c.pk) == parent_id), None)


@require_safe
def decision_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    """A post and its discussion; anonymous readers get it from the page cache.

    A page served from the cache counts as a view too; a rendered page
    counts its view itself, so that it shows it.
    """
    response = decision_page(request, pk=pk, slug=slug)
    if response.status_code == 200 and not getattr(request, _VIEW_COUNTED, False):
        _count_view(request, pk)
    return response


def decision_versions(kwargs: dict[str, Any]) -> list[str]:
    """The post's own version moves with every edit, vote, comment and
    moderation action on it (see decisions.services)."""
    return [STRUCTURE, decision_page_version(kwargs["pk"])]


# Set on the request by a rendered page, which counted its view already.
_VIEW_COUNTED = "_decision_view_counted"


@cache_page(decision_versions, params=["comments"])
@keeps_plans
def decision_page(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    found = get_readable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    decision = found
    if slug and slug != decision.slug:
        return HttpResponsePermanentRedirect(decision.get_absolute_url())
    setattr(request, _VIEW_COUNTED, True)
    if request.user.pk != decision.author_id and _count_view(request, decision.pk):
        decision.view_count += 1
    return render(
        request, "decisions/decision_detail.html", detail_context(request, decision)
    )


def _count_view(request: HttpRequest, decision_id: int) -> bool:
    visitor = viewcounts.visitor_of(request)
    return visitor is not None and services.count_decision_view(
        decision_id=decision_id, visitor=visitor
    )
