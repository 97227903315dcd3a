"""Public profiles and profile editing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.forms import ProfileForm
from accounts.models import (
    MemberFollow,
    MemberMute,
    User,
    member_version,
    reader_version,
)
from accounts.services import (
    follow_member,
    mute_member,
    unfollow_member,
    unmute_member,
    update_profile,
)
from decisions.models import Decision
from stacks.models import CompanyMembership, Stack, employer_of
from stackshare.caching import STRUCTURE, cache_page, kept
from stackshare.plans import keeps_plans
from stackshare.toggles import reader_state, toggle
from stackshare.types import AuthenticatedHttpRequest
from tools.models import CategoryFollow, ToolFollow

PROFILE_DECISIONS_SHOWN = 10


def profile_versions(kwargs: dict[str, Any]) -> list[str]:
    """A profile changes with what the member does (posts, stacks, memberships,
    profile: member_version), what they follow (reader_version) and the
    names of what it shows (STRUCTURE, also bumped when a member is
    deactivated in the back office)."""
    username = kwargs["username"]
    pk = kept(
        f"member-pk:{username}",
        lambda: (
            User.objects.filter(username=username, is_active=True)
            .values_list("pk", flat=True)
            .first()
        ),
        versions=[STRUCTURE],
    )
    if pk is None:
        return [STRUCTURE]  # a 404, which is not kept
    return [STRUCTURE, member_version(pk), reader_version(pk)]


@require_safe
@cache_page(profile_versions, params=())
@keeps_plans
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(
        User.objects.filter(is_active=True).annotate(following_count=following_count()),
        username=username,
    )
    # The member's own hidden posts show to them, marked; others see visible ones.
    decisions = list(
        Decision.objects.readable_by(request.user)
        .filter(author=member)
        .with_cards()
        .newest()[:PROFILE_DECISIONS_SHOWN]
    )
    memberships = list(
        CompanyMembership.objects.filter(user=member)
        .select_related("company")
        .order_by("company__name")
    )
    # The headline names the real company when the member belongs to one.
    employer = employer_of(member, memberships)
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
            "decisions": decisions,
            **member_reader_state(request, member),
            "memberships": memberships,
            "employer": employer,
            "stacks": stacks,
        },
    )


def following_count() -> Combinable:
    """How many tools, categories and members a member follows, read with
    the member (a query of its own cost a cold profile about 1 ms)."""
    counts = [
        Coalesce(
            Subquery(
                model._default_manager.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
        for model, field in [
            (ToolFollow, "user"),
            (CategoryFollow, "user"),
            (MemberFollow, "follower"),
        ]
    ]
    return counts[0] + counts[1] + counts[2]


def member_reader_state(request: HttpRequest, member: User) -> dict[str, bool]:
    """Whether the signed-in reader follows or mutes this member (one query)."""
    reader = request.user
    if not reader.is_authenticated or reader.pk == member.pk:
        return {"is_following": False, "is_muted": False}
    return reader_state(
        member,
        is_following=MemberFollow.objects.filter(
            follower=reader, followed=OuterRef("pk")
        ),
        is_muted=MemberMute.objects.filter(user=reader, muted=OuterRef("pk")),
    )


def active_member(username: str) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), username=username)


@login_required
@require_POST
def member_follow(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    member = active_member(username)
    reader = request.user
    return toggle(
        request,
        turn_on=lambda: follow_member(follower=reader, followed=member),
        turn_off=lambda: unfollow_member(follower=reader, followed=member),
        fragment="accounts/user_detail.html#member-follow-button",
        context=lambda is_on: {"member": member, "is_following": is_on},
        back=member,
        refused="That is you",
    )


@login_required
@require_POST
def member_mute(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    member = active_member(username)
    reader = request.user
    return toggle(
        request,
        turn_on=lambda: mute_member(user=reader, muted=member),
        turn_off=lambda: unmute_member(user=reader, muted=member),
        fragment="accounts/user_detail.html#member-mute-button",
        context=lambda is_on: {"member": member, "is_muted": is_on},
        back=member,
        refused="That is you",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
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
