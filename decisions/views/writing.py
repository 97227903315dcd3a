"""Writing posts: choosing the kind, the post form with its tool picker and preview, publishing, editing and deleting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.services import SuspendedError
from decisions import services
from decisions.forms import DecisionForm, ToolPicker
from decisions.models import BODY_MAX_LENGTH, Decision, DecisionKind
from decisions.views.reading import member, problem
from stackshare import ratelimits, writes
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.markdown import render_markdown
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest


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
        if intent == "tools":
            # Only the tools changed: the text comes back as typed, not yet
            # judged (no "give your post a title" while picking a tool).
            form = DecisionForm(
                initial={name: request.POST.get(name, "") for name in form.fields},
                kind=kind,
            )
        elif intent == "preview":
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
    if wants_fragment(request):
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
