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
from decisions.models import Decision

PROFILE_DECISIONS_SHOWN = 10


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User.objects.filter(is_active=True), username=username)
    # The member's own hidden posts show to them, marked; others see visible ones.
    decisions = list(
        Decision.objects.readable_by(request.user)
        .filter(author=member)
        .with_cards()
        .newest()[:PROFILE_DECISIONS_SHOWN]
    )
    return render(
        request,
        "accounts/user_detail.html",
        {"member": member, "decisions": decisions},
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
