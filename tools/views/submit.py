"""A member submits a tool for the moderators to approve."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from stackshare.types import AuthenticatedHttpRequest
from tools import services
from tools.forms import ToolSubmissionForm
from tools.models import Tool


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tool_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ToolSubmissionForm(request.POST if posted else None)
    duplicates: list[Tool] = []
    if posted and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            Tool.objects.likely_duplicates(
                name=data["name"],
                website=data["website"],
                repository_url=data["repository_url"],
            )
        )
        if not duplicates or request.POST.get("confirm") == "yes":
            tool = services.submit_tool(submitted_by=request.user, **data)
            messages.success(
                request,
                f"Thanks! {tool.name} is waiting for a moderator; it appears once approved.",
            )
            return redirect("tools:list")
    return render(
        request,
        "tools/tool_form.html",
        {"form": form, "duplicates": duplicates},
        status=400 if posted and form.errors else 200,
    )
