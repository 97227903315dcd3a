"""A post's discussion and votes: commenting, deleting comments, upvoting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.services import SuspendedError
from decisions import services
from decisions.forms import CommentForm
from decisions.models import Comment, Decision, can_moderate
from decisions.views.reading import detail_context, get_readable, member, problem
from stackshare import writes
from stackshare.toggles import toggle
from stackshare.types import AuthenticatedHttpRequest


@login_required
@require_POST
def comment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_readable(request, pk)
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
