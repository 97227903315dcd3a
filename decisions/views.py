"""Decision and advice pages: the list, a post with its discussion, writing, voting, reporting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from accounts.services import SuspendedError
from changes.models import DecisionMove, record_parts
from decisions import services
from decisions.filters import DecisionFilter
from decisions.forms import CommentForm, DecisionForm, ReportForm, ToolPicker
from decisions.models import (
    BODY_MAX_LENGTH,
    Comment,
    Decision,
    DecisionKind,
    DecisionVote,
    ReportReason,
    can_moderate,
    decision_page_version,
)
from decisions.threads import build_threads
from stackshare import ratelimits, viewcounts, writes
from stackshare.caching import STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS
from stackshare.markdown import render_markdown
from stackshare.toggles import toggle
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest
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


# Reading ---------------------------------------------------------------------


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def decision_list(request: HtmxHttpRequest) -> HttpResponse:
    layers = list(Category.objects.layers())
    filterset = DecisionFilter(
        request.GET or None,
        queryset=Decision.objects.visible().with_cards(),
        layers=layers,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "decisions/decision_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#results"
    return render(
        request,
        template_name,
        {"filterset": filterset, "page": page},
    )


def _get_readable(request: HttpRequest, pk: int) -> Decision | HttpResponse:
    """The post if this reader may see it, else the page that says why not."""
    decision = Decision.objects.with_cards().filter(pk=pk).first()
    if decision is None:
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
        "declared_moves": list(DecisionMove.objects.for_decision(decision)),
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
def decision_page(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    found = _get_readable(request, pk)
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
    return services.count_decision_view(
        decision_id=decision_id, visitor=viewcounts.visitor_of(request)
    )


# Writing posts ---------------------------------------------------------------


def _kind_choice(request: HttpRequest) -> HttpResponse:
    """First step of /decisions/new/: share a decision or ask for advice."""
    tools = [slug for slug in request.GET.getlist("tool") if slug.strip()][:10]
    return render(request, "decisions/decision_kind.html", {"tools": tools})


def _form_page(
    request: HtmxHttpRequest,
    *,
    kind: str,
    decision: Decision | None,
) -> HttpResponse:
    """The post form: create or edit, preview, and the tool picker, with or without htmx."""
    action_url = (
        reverse("decisions:update", kwargs={"pk": decision.pk})
        if decision
        else f"{reverse('decisions:create')}?kind={kind}"
    )
    preview_html = ""
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST, kind=kind)
        picker = ToolPicker.from_data(request.POST, kind=kind)
        # A suggestion picked or a tool removed: the form comes back changed.
        editing_tools = bool(picker.focus or request.POST.get("drop_tool"))
        intent = "tools" if editing_tools else request.POST.get("intent", "publish")
        if intent == "preview":
            body = request.POST.get("body", "")[:BODY_MAX_LENGTH]
            preview_html = render_markdown(body) if body.strip() else ""
            form.is_valid()
        elif intent == "publish":
            form_ok = form.is_valid()
            if picker.validate() and form_ok:
                response = _publish(
                    request, form=form, picker=picker, kind=kind, decision=decision
                )
                if response is not None:
                    return response
            status = 400
    elif decision is not None:
        form = DecisionForm(
            initial={"title": decision.title, "body": decision.body}, kind=kind
        )
        picker = ToolPicker.for_decision(decision)
    else:
        form = DecisionForm(kind=kind)
        picker = ToolPicker.from_slugs(
            chosen=request.GET.getlist("chosen"),
            considered=request.GET.getlist("tool"),
            kind=kind,
        )

    context = {
        "form": form,
        "picker": picker,
        "kind": kind,
        "is_advice": kind == DecisionKind.ADVICE,
        "decision": decision,
        "action_url": action_url,
        "preview_html": preview_html,
    }
    if request.htmx and not request.htmx.history_restore_request:
        # htmx leaves 4xx responses unswapped; the form with its errors must show.
        return render(request, "decisions/decision_form.html#decision-form", context)
    return render(request, "decisions/decision_form.html", context, status=status)


def _publish(
    request: HtmxHttpRequest,
    *,
    form: DecisionForm,
    picker: ToolPicker,
    kind: str,
    decision: Decision | None,
) -> HttpResponse | None:
    """Save the post; a response on success or refusal, None to show the form's errors."""
    author = member(request)
    # Only publishing a new post counts as "post"; the gate (stackshare.writes)
    # counts every request to this address as a plain write.
    if decision is None and not ratelimits.hit(user_id=author.pk, action="post"):
        return writes.rate_limited(request, action="post", user_id=author.pk)
    data = form.cleaned_data
    try:
        if decision is None:
            saved = services.create_decision(
                author=author,
                kind=DecisionKind(kind),
                title=data["title"],
                body=data["body"],
                chosen=picker.chosen,
                considered=picker.considered,
            )
            messages.success(
                request, "Your post is live. Thanks for sharing what you know."
            )
        else:
            saved = services.update_decision(
                decision=decision,
                editor=author,
                title=data["title"],
                body=data["body"],
                chosen=picker.chosen,
                considered=picker.considered,
            )
            messages.success(request, "Your changes are saved.")
    except SuspendedError:
        return writes.suspended(request)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    url = saved.get_absolute_url()
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers(*FRAGMENT_HEADERS)
def decision_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in DecisionKind.values:
        return _kind_choice(request)
    return _form_page(request, kind=kind, decision=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers(*FRAGMENT_HEADERS)
def decision_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = Decision.objects.filter(pk=pk).first()
    if decision is None or decision.is_deleted:
        return problem(
            request,
            title="No such post",
            text="There is nothing to edit here.",
            status=404,
        )
    if not Decision.objects.editable_by(request.user).filter(pk=pk).exists():
        return problem(
            request,
            title="You cannot edit this post",
            text="Only its author and the moderators can change it.",
            status=403,
            back_url=decision.get_absolute_url(),
            back_label="Back to the post",
        )
    return _form_page(request, kind=decision.kind, decision=decision)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.editable_by(request.user), pk=pk)
    if request.method == "POST":
        services.delete_decision(decision=decision, actor=member(request))
        messages.success(request, "The post is deleted.")
        return redirect("decisions:list")
    return render(
        request, "decisions/decision_confirm_delete.html", {"decision": decision}
    )


# Discussion and votes -----------------------------------------------------------


@login_required
@require_POST
def comment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = _get_readable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    decision = found
    author = member(request)
    form = CommentForm(request.POST)
    error = ""
    if not form.is_valid():
        error = "Your comment was not posted; see below."
    else:
        parent = None
        parent_id = form.cleaned_data["parent"]
        if parent_id is not None:
            parent = (
                decision.comments.filter(pk=parent_id).select_related("parent").first()
            )
            if parent is None:
                form.add_error(
                    "body",
                    "The comment you replied to is gone; post yours as a new comment.",
                )
        if not form.errors:
            try:
                comment = services.add_comment(
                    decision=decision,
                    author=author,
                    body=form.cleaned_data["body"],
                    parent=parent,
                )
            except SuspendedError:
                return writes.suspended(request)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(request, "Your comment is posted.")
                return redirect(f"{decision.get_absolute_url()}#comment-{comment.pk}")
    context = detail_context(request, decision, comment_form=form, comment_error=error)
    return render(request, "decisions/decision_detail.html", context, status=400)


@login_required
@require_POST
def comment_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("decision"), pk=pk, deleted_at__isnull=True
    )
    user = member(request)
    if comment.author_id != user.pk and not can_moderate(user):
        return problem(
            request,
            title="You cannot delete this comment",
            text="Only its author and the moderators can.",
            status=403,
            back_url=comment.decision.get_absolute_url(),
            back_label="Back to the post",
        )
    services.delete_comment(comment=comment, actor=user)
    messages.success(request, "Your comment is deleted.")
    return redirect(f"{comment.decision.get_absolute_url()}#comments")


@login_required
@require_POST
def decision_upvote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.visible(), pk=pk)
    user = member(request)

    def button(is_on: bool) -> dict[str, object]:
        decision.refresh_from_db(fields=["upvote_count"])
        return {"decision": decision, "has_voted": is_on}

    return toggle(
        request,
        turn_on=lambda: services.upvote_decision(user=user, decision=decision),
        turn_off=lambda: services.withdraw_upvote(user=user, decision=decision),
        fragment="decisions/decision_detail.html#upvote-button",
        context=button,
        back=decision,
        refused="That is your own post",
    )


# Reports ---------------------------------------------------------------------


def _report_page(
    request: HttpRequest, *, decision: Decision, comment: Comment | None
) -> HttpResponse:
    user = member(request)
    target_author = comment.author_id if comment else decision.author_id
    back_url = comment.get_absolute_url() if comment else decision.get_absolute_url()
    if target_author == user.pk:
        return problem(
            request,
            title="That is your own",
            text="You can edit or delete what you wrote instead of reporting it.",
            status=400,
            back_url=back_url,
            back_label="Back to the post",
        )
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, created = services.report_content(
            reporter=user,
            reason=ReportReason(form.cleaned_data["reason"]),
            details=form.cleaned_data["details"],
            decision=None if comment else decision,
            comment=comment,
        )
        messages.success(
            request,
            "Thanks, a moderator will look at it."
            if created
            else "You reported this already; a moderator will look at it.",
        )
        return HttpResponseRedirect(back_url)
    return render(
        request,
        "decisions/report_form.html",
        {"form": form, "decision": decision, "comment": comment, "back_url": back_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(
        Decision.objects.visible().select_related("author"), pk=pk
    )
    return _report_page(request, decision=decision, comment=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def comment_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.visible()
        .filter(decision__in=Decision.objects.visible())
        .select_related("decision", "author"),
        pk=pk,
    )
    return _report_page(request, decision=comment.decision, comment=comment)
