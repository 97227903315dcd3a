"""Public profiles and profile editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Subquery
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
from stackshare.caching import STRUCTURE, cache_page_for_anonymous, remember
from tools.models import CategoryFollow, ToolFollow

PROFILE_DECISIONS_SHOWN = 10


def profile_versions(kwargs: dict[str, Any]) -> list[str]:
    """A profile changes with what the member does (posts, stacks, memberships,
    profile: member_version), what they follow (reader_version) and the
    names of what it shows (STRUCTURE, also bumped when a member is
    deactivated in the back office)."""
    username = kwargs["username"]
    pk = remember(
        f"member-pk:{username}",
        [STRUCTURE],
        lambda: (
            User.objects.filter(username=username, is_active=True)
            .values_list("pk", flat=True)
            .first()
        ),
    )
    if pk is None:
        return [STRUCTURE]  # a 404, which is not kept
    return [STRUCTURE, member_version(pk), reader_version(pk)]


@require_safe
@cache_page_for_anonymous(profile_versions, params=())
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User.objects.filter(is_active=True), username=username)
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
            "following_count": following_count(member),
            **reader_state(request, member),
            "memberships": memberships,
            "employer": employer,
            "stacks": stacks,
        },
    )


def following_count(member: User) -> int:
    """Tools, categories and members the member follows, in one query."""
    counts = [
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        for model, field in [
            (ToolFollow, "user"),
            (CategoryFollow, "user"),
            (MemberFollow, "follower"),
        ]
    ]
    return sum(
        n or 0
        for n in User.objects.filter(pk=member.pk)
        .annotate(a=counts[0], b=counts[1], c=counts[2])
        .values_list("a", "b", "c")
        .get()
    )


def reader_state(request: HttpRequest, member: User) -> dict[str, bool]:
    """Whether the signed-in reader follows or mutes this member (one query)."""
    if not request.user.is_authenticated or request.user.pk == member.pk:
        return {"is_following": False, "is_muted": False}
    following, muted = (
        User.objects.filter(pk=member.pk)
        .annotate(
            following=Exists(
                MemberFollow.objects.filter(
                    follower=request.user, followed=OuterRef("pk")
                )
            ),
            muted=Exists(
                MemberMute.objects.filter(user=request.user, muted=OuterRef("pk"))
            ),
        )
        .values_list("following", "muted")
        .get()
    )
    return {"is_following": following, "is_muted": muted}


def wants_on(request: HttpRequest) -> bool:
    return request.POST.get("state", "on") != "off"


def toggle_member(
    request: HttpRequest,
    username: str,
    *,
    turn_on: Callable[[User, User], object],
    turn_off: Callable[[User, User], object],
    partial: str,
    state: str,
) -> HttpResponse:
    """Follow or mute a member (or undo it) and answer with the button."""
    member = get_object_or_404(User.objects.filter(is_active=True), username=username)
    reader: User = request.user  # type: ignore[assignment]
    try:
        (turn_on if wants_on(request) else turn_off)(reader, member)
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    if request.htmx:
        return render(
            request,
            f"accounts/user_detail.html#{partial}",
            {"member": member, state: wants_on(request)},
        )
    return redirect(member)


@login_required
@require_POST
def member_follow(request: HttpRequest, username: str) -> HttpResponse:
    return toggle_member(
        request,
        username,
        turn_on=lambda reader, member: follow_member(follower=reader, followed=member),
        turn_off=lambda reader, member: unfollow_member(
            follower=reader, followed=member
        ),
        partial="member-follow-button",
        state="is_following",
    )


@login_required
@require_POST
def member_mute(request: HttpRequest, username: str) -> HttpResponse:
    return toggle_member(
        request,
        username,
        turn_on=lambda reader, member: mute_member(user=reader, muted=member),
        turn_off=lambda reader, member: unmute_member(user=reader, muted=member),
        partial="member-mute-button",
        state="is_muted",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
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
