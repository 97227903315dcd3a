"""The back office for members and the audit trail.

Least privilege: only superusers manage staff accounts, groups, permissions,
passwords and the account-security models of allauth. Everyone else with
access to members (moderators, staff given `accounts.change_user`) corrects
public profiles and suspends members, nothing more; staff accounts are out
of their sight. What they may not change is left out of their form, so a
crafted POST carrying `is_superuser` or `groups` is dropped by the form, not
just hidden from view.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.models import ModerationEvent, User
from accounts.services import reinstate_member, suspend_member
from stackshare.admin_mixins import RefreshesCachedPages
from stackshare.types import acting_member

# Registered by Django and allauth; each holds a way into other accounts
# (group permissions, verified addresses, linked GitHub logins,
# signed-in sessions) or a secret (OAuth client secrets and tokens). Models of apps
# that are not installed are skipped.
SUPERUSERS_ONLY = [
    "auth.Group",
    "account.EmailAddress",
    "account.EmailConfirmation",
    "socialaccount.SocialApp",
    "socialaccount.SocialToken",
    "socialaccount.SocialAccount",
    "usersessions.UserSession",
]

# Editable by whoever may change a member who is not staff.
PROFILE_FIELDS = User.PROFILE_FIELDS


def is_superuser(request: HttpRequest) -> bool:
    """Whether the signed-in account is an active superuser."""
    user = request.user
    return bool(user.is_active and user.is_superuser)


class SuperusersOnly:
    """Admin mixin: only superusers, whatever permissions another account holds."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) and super().has_module_permission(request)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request) and super().has_view_permission(request, obj)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_superuser(request) and super().has_add_permission(request, *args)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request) and super().has_change_permission(request, obj)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method


class SuperusersReassign:
    """Admin mixin: who wrote or owns a row is shown, not edited, except by
    superusers.

    Name the fields in `attribution_fields`. Moving a post to another author
    would put words in their mouth; moving a company, stack or membership to
    oneself would hand out its owner's rights on the site. A new row still
    chooses them.
    """

    attribution_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method
        if obj is not None and not is_superuser(request):
            fields += [name for name in self.attribution_fields if name not in fields]
        return fields


def restrict_to_superusers(site: admin.AdminSite, labels: list[str]) -> None:
    """Register the admins of these models again, open to superusers only.

    Their own classes (from Django and allauth) stay as they are; each is
    wrapped in a subclass that adds `SuperusersOnly`.
    """
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:  # the app is not installed
            continue
        if not site.is_registered(model):
            continue
        model_admin = type(site.get_model_admin(model))
        site.unregister(model)
        site.register(
            model,
            type(
                f"SuperusersOnly{model_admin.__name__}",
                (SuperusersOnly, model_admin),
                {"__module__": __name__},
            ),
        )


class ProfileForm(forms.ModelForm[User]):
    """A member's change form without credentials or privileges.

    `get_form` narrows it to the profile fields, so anything else posted
    (`is_superuser`, `groups`, `password`…) is not a field and is dropped.
    """

    class Meta:
        model = User
        fields = ("first_name", "last_name", *PROFILE_FIELDS)


@admin.register(User)
class UserAdmin(RefreshesCachedPages, DjangoUserAdmin[User]):
    list_display: tuple[str, ...] = (
        "username",
        "email",
        "display_name",
        "company_name",
        "is_staff",
        "is_active",
        "is_suspended",
        "date_joined",
    )
    list_filter: ClassVar[tuple[str, ...]] = (
        "is_staff",
        "is_superuser",
        "is_active",
        "is_suspended",
        "groups",
    )
    readonly_fields = ["is_suspended"]
    actions = ["suspend_selected", "reinstate_selected"]
    search_fields = ["username", "email", "display_name", "company_name"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": PROFILE_FIELDS}),
        ("Moderation", {"fields": ("is_suspended",)}),
    )
    # What everyone but a superuser sees of a member: the user name and
    # address identify the account and sign in (a changed address could
    # receive the password reset), so they are shown, not edited.
    member_fieldsets = (
        (None, {"fields": ("username",)}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Profile", {"fields": PROFILE_FIELDS}),
        ("Moderation", {"fields": ("is_suspended",)}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    member_readonly_fields = [
        "username",
        "email",
        "is_suspended",
        "last_login",
        "date_joined",
    ]

    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        if is_superuser(request):
            return self.list_display
        return tuple(
            name for name in self.list_display if name not in {"is_staff", "is_active"}
        )

    def get_list_filter(self, request: HttpRequest) -> tuple[str, ...]:
        if is_superuser(request):
            return self.list_filter
        return ("is_suspended",)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        if obj is None or is_superuser(request):
            return super().get_fieldsets(request, obj)
        return self.member_fieldsets

    def get_readonly_fields(
        self, request: HttpRequest, obj: User | None = None
    ) -> list[str]:
        if is_superuser(request):
            return list(self.readonly_fields)
        return self.member_readonly_fields

    def get_form(  # type: ignore[override]  # Django's UserAdmin.get_form has no "change"
        self,
        request: HttpRequest,
        obj: User | None = None,
        **kwargs: Any,
    ) -> type[forms.ModelForm[User]]:
        if obj is not None and not is_superuser(request):
            kwargs["form"] = ProfileForm
        return super().get_form(request, obj, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The add form sets a password and is the first step to a staff
        # account; members sign up on the site.
        return is_superuser(request) and super().has_add_permission(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        accounts = super().get_queryset(request)
        if is_superuser(request):
            return accounts
        # Staff accounts, moderators and oneself included, are for superusers
        # to manage. Out of everyone else's queryset, no list, form, action,
        # history or deletion can reach one, nor its e-mail address.
        return accounts.filter(is_staff=False, is_superuser=False)

    def has_delete_permission(
        self, request: HttpRequest, obj: User | None = None
    ) -> bool:
        # Deleting an account takes its e-mail addresses and social logins
        # with it, which only superusers manage; suspension is the tool for
        # everyone else.
        return is_superuser(request) and super().has_delete_permission(request, obj)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Whoever sets a password owns the account: superusers only, and not
        # even one's own here (the site has its own password page).
        if not is_superuser(request):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.action(
        description="Suspend selected members (no posting)", permissions=["change"]
    )
    def suspend_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for member in queryset.filter(is_suspended=False):
            suspend_member(member=member, actor=acting_member(request))
        self.message_user(request, "Suspended.", messages.SUCCESS)

    @admin.action(
        description="Lift the suspension of selected members", permissions=["change"]
    )
    def reinstate_selected(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        for member in queryset.filter(is_suspended=True):
            reinstate_member(member=member, actor=acting_member(request))
        self.message_user(request, "Suspension lifted.", messages.SUCCESS)


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin[ModerationEvent]):
    """The audit trail: read-only, newest first."""

    list_display = [
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_repr",
        "reason",
    ]
    list_filter = ["action", "target_type", "created_at"]
    list_select_related = ["actor", "target_type"]
    search_fields = ["target_repr", "reason", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


restrict_to_superusers(admin.site, SUPERUSERS_ONLY)


if apps.is_installed("allauth.mfa"):
    from allauth.mfa.models import Authenticator

    admin.site.unregister(Authenticator)

    @admin.register(Authenticator)
    class AuthenticatorAdmin(SuperusersOnly, admin.ModelAdmin[Authenticator]):
        """Members' second factors: listed, and deleted for a member who lost
        their device, but never shown or edited, since their data holds the
        secret (the authenticator app's seed, the recovery codes)."""

        list_display = ["user", "type", "created_at", "last_used_at"]
        list_filter = ["type"]
        list_select_related = ["user"]
        search_fields = ["user__username", "user__email"]
        fields = ("user", "type", "created_at", "last_used_at")
        readonly_fields = fields

        def has_add_permission(self, request: HttpRequest) -> bool:
            return False

        def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False
