"""Public profiles and profile editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import ProfileForm
from accounts.models import User
from accounts.services import update_profile
from stacks.models import CompanyMembership, Stack


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User.objects.filter(is_active=True), username=username)
    memberships = list(
        CompanyMembership.objects.filter(user=member)
        .select_related("company")
        .order_by("company__name")
    )
    # The headline names the real company when the member belongs to one:
    # the one matching their free-text company name, else the first.
    named = member.company_name.strip().lower()
    employer = next(
        (m.company for m in memberships if m.company.name.lower() == named),
        memberships[0].company if memberships else None,
    )
    stacks = list(
        Stack.objects.filter(owner_user=member)
        .with_owner()
        .with_preview()
        .order_by("name")
    )
    return render(
        request,
        "accounts/user_detail.html",
        {
            "member": member,
            "memberships": memberships,
            "employer": employer,
            "stacks": stacks,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    if username != request.user.get_username():
        raise PermissionDenied("You can only edit your own profile.")
    member = request.user
    assert isinstance(member, User)  # noqa: S101 - login_required guarantees it
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST":
        if form.is_valid():
            update_profile(user=member, changes=form.cleaned_data)
            messages.success(request, "Your profile is saved.")
            return redirect(member)
        # A failed ModelForm leaves its half-cleaned values on the instance;
        # the page header must still show what is saved, so reload it.
        member.refresh_from_db()
    return render(request, "accounts/user_form.html", {"form": form, "member": member})
