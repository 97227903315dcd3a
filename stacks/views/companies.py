"""Company pages: the list, the company page, follow and mute, editing and members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from accounts.services import resize_avatar
from decisions.models import Decision
from stacks import services
from stacks.filters import CompanyFilter
from stacks.forms import CompanyForm, MemberAddForm, RoleForm
from stacks.models import (
    Company,
    CompanyFollow,
    CompanyMembership,
    CompanyMute,
    Role,
    StackItem,
    company_page_version,
)
from stackshare.caching import STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.pagination import CappedPaginator
from stackshare.plans import keeps_plans
from stackshare.toggles import reader_state, toggle
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest

COMPANY_DECISIONS_SHOWN = 5

PAGE_SIZE = 24


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def company_list(request: HtmxHttpRequest) -> HttpResponse:
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.all())
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "stacks/company_list.html"
    if wants_fragment(request):
        template_name += "#company-results"
    return render(
        request,
        template_name,
        {
            "filterset": filterset,
            "page": page,
            "tool": filterset.tool,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo = data.pop("logo", None)
        if isinstance(logo, UploadedFile):
            data["logo"] = resize_avatar(logo)
        company = services.create_company(created_by=request.user, **data)
        messages.success(
            request,
            f"{company.name} is on stackshare and you are its owner. Add its first stack.",
        )
        return redirect(company)
    return render(
        request,
        "stacks/company_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def membership_of(user: object, company: Company) -> CompanyMembership | None:
    if not isinstance(user, User):
        return None
    return CompanyMembership.objects.filter(company=company, user=user).first()


def company_versions(kwargs: dict[str, Any]) -> list[str]:
    """A company page changes with the company: its details, members, stacks,
    followers and posts (see stacks.services.company_changed)."""
    return [STRUCTURE, company_page_version(kwargs["slug"])]


@require_safe
@cache_page(company_versions, params=())
@keeps_plans
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company.objects.with_members(), slug=slug)
    memberships = list(company.memberships.all())
    mine = next((m for m in memberships if m.user_id == request.user.pk), None)
    stacks = list(
        company.stacks.order_by("name").prefetch_related(
            Prefetch(
                "items",
                queryset=StackItem.objects.select_related("tool").order_by(
                    "-tool__stack_count", "tool__name"
                ),
            )
        )
    )
    # Posts written at the company, as their author lines say; the same
    # posts as the decisions list filtered on the company.
    decisions = list(
        Decision.objects.visible()
        .filter(company=company)
        .with_cards()
        .newest()[:COMPANY_DECISIONS_SHOWN]
    )
    return render(
        request,
        "stacks/company_detail.html",
        {
            "company": company,
            "memberships": memberships,
            "membership": mine,
            "stacks": stacks,
            "decisions": decisions,
            **company_reader_state(request, company),
        },
    )


def company_reader_state(request: HttpRequest, company: Company) -> dict[str, bool]:
    """Whether the signed-in reader follows or mutes the company (one query)."""
    user = request.user
    if not user.is_authenticated:
        return {"is_following": False, "is_muted": False}
    return reader_state(
        company,
        is_following=CompanyFollow.objects.filter(user=user, company=OuterRef("pk")),
        is_muted=CompanyMute.objects.filter(user=user, company=OuterRef("pk")),
    )


@login_required
@require_POST
def company_follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    user = request.user

    def button(is_on: bool) -> dict[str, object]:
        company.refresh_from_db(fields=["follower_count"])
        return {"company": company, "is_following": is_on}

    return toggle(
        request,
        turn_on=lambda: services.follow_company(user=user, company=company),
        turn_off=lambda: services.unfollow_company(user=user, company=company),
        fragment="stacks/company_detail.html#company-follow-button",
        context=button,
        back=company,
    )


@login_required
@require_POST
def company_mute(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.mute_company(user=user, company=company),
        turn_off=lambda: services.unmute_company(user=user, company=company),
        fragment="stacks/company_detail.html#company-mute-button",
        context=lambda is_on: {"company": company, "is_muted": is_on},
        back=company,
    )


def owned_company(request: HttpRequest, slug: str) -> Company:
    """The company, if the reader owns it; 404 when unknown, 403 otherwise."""
    company = get_object_or_404(Company, slug=slug)
    mine = membership_of(request.user, company)
    if mine is None or not mine.is_owner:
        raise PermissionDenied("Only the company's owners can do that.")
    return company


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = owned_company(request, slug)
    form = CompanyForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST":
        if form.is_valid():
            logo = form.cleaned_data.get("logo")
            if isinstance(logo, UploadedFile):
                resized = resize_avatar(logo)
                company.logo.save(resized.name, resized, save=False)  # type: ignore[arg-type]  # resize_avatar always names the file
            services.update_company(
                company=form.save(commit=False), changed=form.changed_data
            )
            messages.success(request, "The company's details are saved.")
            return redirect(company)
        company.refresh_from_db()
    return render(
        request,
        "stacks/company_form.html",
        {"form": form, "company": company},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = owned_company(request, slug)
    form = MemberAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = form.cleaned_data["username"]
            try:
                services.add_company_member(
                    company=company, user=user, role=Role(form.cleaned_data["role"])
                )
            except ValidationError as error:
                form.add_error("username", error)
            else:
                messages.success(request, f"{user.name} now belongs to {company.name}.")
                return redirect("stacks:company_members", slug=company.slug)
        status = 400
    memberships = list(
        company.memberships.select_related("user").order_by(
            "role_rank", "user__display_name", "user__username"
        )
    )
    return render(
        request,
        "stacks/company_members.html",
        {
            "company": company,
            "memberships": memberships,
            "form": form,
            "roles": Role.choices,
        },
        status=status,
    )


@login_required
@require_POST
def company_member_role(
    request: AuthenticatedHttpRequest, slug: str, username: str
) -> HttpResponse:
    company = owned_company(request, slug)
    membership = get_object_or_404(
        CompanyMembership.objects.select_related("user"),
        company=company,
        user__username=username,
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick one of the roles: owner, editor or member.")
        return redirect("stacks:company_members", slug=company.slug)
    try:
        services.set_company_role(
            company=company, user=membership.user, role=Role(form.cleaned_data["role"])
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("stacks:company_members", slug=company.slug)
    messages.success(
        request,
        f"{membership.user.name} is now {Role(form.cleaned_data['role']).label.lower()}.",
    )
    return redirect("stacks:company_members", slug=company.slug)


@login_required
@require_POST
def company_member_remove(
    request: AuthenticatedHttpRequest, slug: str, username: str
) -> HttpResponse:
    company = owned_company(request, slug)
    membership = get_object_or_404(
        CompanyMembership.objects.select_related("user"),
        company=company,
        user__username=username,
    )
    try:
        services.remove_company_member(company=company, user=membership.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("stacks:company_members", slug=company.slug)
    messages.success(
        request, f"{membership.user.name} no longer belongs to {company.name}."
    )
    if membership.user_id == request.user.pk:
        return redirect(company)
    return redirect("stacks:company_members", slug=company.slug)
