"""What members do on a tool page: follow, vote, mute, and add or vote for pros and cons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from stackshare.hostile import safe_next_url
from stackshare.toggles import toggle
from stackshare.types import AuthenticatedHttpRequest
from tools import services
from tools.forms import ProConForm
from tools.models import ProCon, ProConKind, Tool
from tools.views.tool_page import ToolPage, tool_page_context


def approved_tool(slug: str) -> Tool:
    return get_object_or_404(Tool.objects.approved().with_category_path(), slug=slug)


def wants_stats(request: HttpRequest) -> bool:
    """Buttons on the tool page also refresh its statistics row."""
    return request.POST.get("stats") == "1"


@login_required
@require_POST
def tool_follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    tool = approved_tool(slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.follow_tool(user=user, tool=tool),
        turn_off=lambda: services.unfollow_tool(user=user, tool=tool),
        fragment="tools/tool_detail.html#follow-button",
        context=lambda is_on: tool_button(request, tool, is_following=is_on),
        back=tool,
    )


@login_required
@require_POST
def tool_vote(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    tool = approved_tool(slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.vote_for_tool(user=user, tool=tool),
        turn_off=lambda: services.withdraw_tool_vote(user=user, tool=tool),
        fragment="tools/tool_detail.html#vote-button",
        context=lambda is_on: tool_button(request, tool, has_voted=is_on),
        back=tool,
    )


def tool_button(request: HttpRequest, tool: Tool, **state: bool) -> dict[str, object]:
    """A tool page's follow or vote button, with the counters read afresh;
    on the tool page it refreshes the statistics row too."""
    tool.refresh_from_db(fields=["follower_count", "vote_count"])
    stats = wants_stats(request)
    return {"tool": tool, "with_stats": stats, "update_stats": stats, **state}


@login_required
@require_POST
def tool_mute(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Mute or unmute a tool: its news leaves the member's feed and e-mails."""
    tool = approved_tool(slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.mute_tool(user=user, tool=tool),
        turn_off=lambda: services.unmute_tool(user=user, tool=tool),
        fragment="tools/tool_detail.html#mute-button",
        context=lambda is_on: {"tool": tool, "is_muted": is_on},
        back=tool,
        said=lambda is_on: (
            f"{tool.name} is muted: its news stays out of your feed."
            if is_on
            else f"{tool.name} is no longer muted."
        ),
    )


@login_required
@require_POST
def procon_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    tool = approved_tool(slug)
    form = ProConForm(request.POST)
    if form.is_valid():
        try:
            services.add_procon(
                tool=tool,
                kind=ProConKind(form.cleaned_data["kind"]),
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ValidationError as error:
            form.add_error("text", error)
    if form.errors:
        context = tool_page_context(request, ToolPage.of(tool), form)
        return render(request, "tools/tool_detail.html", context, status=400)
    messages.success(
        request, "Thanks, your point is listed. Others can now vote on it."
    )
    return redirect(f"{tool.get_absolute_url()}#pros-cons")


@login_required
@require_POST
def procon_vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    procon = get_object_or_404(
        ProCon.objects.visible().filter(tool__status="approved").select_related("tool"),
        pk=pk,
    )
    user = request.user
    # The page the vote came from (a tool page or a stackup's comparison).
    next_url = safe_next_url(
        request, fallback=f"{procon.tool.get_absolute_url()}#pros-cons"
    )

    def button(is_on: bool) -> dict[str, object]:
        procon.refresh_from_db(fields=["vote_count"])
        return {
            "procon": procon,
            "tool": procon.tool,
            "voted": is_on,
            "vote_next": next_url,
        }

    return toggle(
        request,
        turn_on=lambda: services.vote_for_procon(user=user, procon=procon),
        turn_off=lambda: services.withdraw_procon_vote(user=user, procon=procon),
        fragment="tools/tool_detail.html#procon-vote",
        context=button,
        back=next_url,
        refused="That is your own point",
    )
