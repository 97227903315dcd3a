"""Reporting a post or a comment to the moderators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from decisions import services
from decisions.forms import ReportForm
from decisions.models import Comment, Decision, ReportReason
from decisions.views.reading import member, problem
from stackshare.types import AuthenticatedHttpRequest


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
