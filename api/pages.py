"""The api app's HTML pages: access tokens, badges, open data, a member's export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST, require_safe

from api import opendata, services
from api.forms import TokenForm
from api.models import AccessToken
from stacks.models import Company, CompanyMembership, Stack
from stackshare.caching import cache_page, tool_versions
from stackshare.types import AuthenticatedHttpRequest
from tools.models import Tool

BADGE_CACHE_SECONDS = 600


@never_cache
@login_required
def member_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    member = request.user
    tokens = AccessToken.objects.filter(user=member, company__isnull=True)
    return token_page(request, tokens=tokens, owner=member, company=None)


@never_cache
@login_required
def company_tokens(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    if (
        not CompanyMembership.objects.owners()
        .filter(company=company, user=request.user)
        .exists()
    ):
        raise PermissionDenied("Only the company's owners manage its tokens.")
    tokens = AccessToken.objects.filter(company=company).select_related("user")
    return token_page(request, tokens=tokens, owner=request.user, company=company)


def token_page(
    request: HttpRequest, *, tokens: Any, owner: Any, company: Company | None
) -> HttpResponse:
    """List the tokens; on POST create one and show its secret, this once."""
    form = TokenForm(request.POST or None, company=company is not None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = services.create_token(
                user=owner,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                company=company,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm(company=company is not None)
    stacks = list(company.stacks.order_by("name")) if company else []
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": list(tokens),
            "form": form,
            "secret": secret,
            "company": company,
            "stacks": stacks,
            "site_url": request.build_absolute_uri("/").rstrip("/"),
        },
        status=400 if request.method == "POST" and not secret else 200,
    )


@login_required
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk)
    may = token.user_id == request.user.pk and token.company_id is None
    if token.company_id:
        may = (
            CompanyMembership.objects.owners()
            .filter(company_id=token.company_id, user=request.user)
            .exists()
        )
    if not may:
        raise PermissionDenied("This is not your token.")
    services.revoke_token(token=token)
    messages.success(
        request, f"The token “{token.name}” is revoked; it no longer works."
    )
    if token.company_id:
        return redirect("api_pages:company_tokens", slug=token.company.slug)  # type: ignore[union-attr]  # company_id is set
    return redirect("api_pages:tokens")


# Badges


def compact(number: int) -> str:
    """1234 → "1.2k", as badges say it."""
    if number < 1000:
        return str(number)
    if number < 1_000_000:
        return f"{number / 1000:.1f}".rstrip("0").rstrip(".") + "k"
    return f"{number / 1_000_000:.1f}".rstrip("0").rstrip(".") + "M"


def badge(label: str, value: str) -> HttpResponse:
    # Width from the character count: the badge uses a monospace-ish
    # estimate, good enough for short labels.
    label_width = 8 + 7 * len(label)
    value_width = 10 + 7 * len(value)
    svg = render_to_string(
        "api/badge.svg",
        {
            "label": label,
            "value": value,
            "label_width": label_width,
            "value_width": value_width,
            "width": label_width + value_width,
            "label_x": label_width / 2,
            "value_x": label_width + value_width / 2,
        },
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={BADGE_CACHE_SECONDS}"
    # Embedded on other sites (READMEs); the SVG has no scripts or links.
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
@cache_page(tool_versions, params=[])
def tool_badge(request: HttpRequest, slug: str) -> HttpResponse:
    tool = get_object_or_404(Tool.objects.approved().only("stack_count"), slug=slug)
    count = tool.stack_count
    return badge("used by", f"{compact(count)} stack{'s' if count != 1 else ''}")


@require_safe
def stack_badge(request: HttpRequest, slug: str) -> HttpResponse:
    stack = get_object_or_404(Stack.objects.only("item_count"), slug=slug)
    count = stack.item_count
    return badge("stack", f"{compact(count)} tool{'s' if count != 1 else ''}")


# Open data


@require_safe
@cache_control(public=True, max_age=300)
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/open_data.html",
        {"dumps": opendata.published_dumps(), "licence": opendata.LICENCE_NAME},
    )


@never_cache
@login_required
@require_safe
def member_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything the member ever posted, as one JSON file."""
    member = request.user
    data = opendata.member_posts(member)
    response = JsonResponse(
        data, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="stackshare-{member.username}-{stamp}.json"'
    )
    return response
