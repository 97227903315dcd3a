"""The ways up that issue 13 found open in the back office, each a test of its own.

A moderator making themselves superuser, the password form, acting on staff
accounts, staff granting themselves groups; and a second factor, which the
back office lists to superusers without ever showing its secret.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import ModerationEvent, User
from accounts.moderators import MODERATORS_GROUP
from accounts.tests.admin_objects import _exists, _messages, _url
from accounts.tests.admin_roles import (
    MODERATOR,
    STAFF,
    SUPERUSER,
    TRUSTED_STAFF,
    admin_client,
    make_role,
)
from accounts.tests.factories import PASSWORD, enrol_totp, make_member

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("moderators_group", "_task_queue"),
]


def _member_change(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _password_change(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


ESCALATION = {
    "is_superuser": "on",
    "is_staff": "on",
    "is_active": "",
    "username": "taken-over",
    "email": "attacker@example.com",
    "password": "md5$salt$hash",
    "password1": "a new password 123",
    "password2": "a new password 123",
    "last_login_0": "2020-01-01",
    "last_login_1": "00:00:00",
    "date_joined_0": "2020-01-01",
    "date_joined_1": "00:00:00",
}


def _escalation(*, groups: list[Group], display_name: str) -> dict[str, Any]:
    return {
        **ESCALATION,
        "groups": [group.pk for group in groups],
        "user_permissions": list(
            Permission.objects.filter(
                codename__in=["change_group", "add_user"]
            ).values_list("pk", flat=True)
        ),
        "display_name": display_name,
    }


def assert_not_found(response) -> None:
    """The admin's answer for an object outside the user's queryset."""
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "exist" in " ".join(_messages(response))


def _assert_untouched(user: User, *, username: str, email: str) -> None:
    user.refresh_from_db()
    assert not user.is_superuser
    assert user.username == username
    assert user.email == email
    assert user.is_active
    assert user.check_password(PASSWORD)
    assert not user.user_permissions.exists()
    assert user.date_joined.year > 2020


def test_moderator_posting_is_superuser_to_own_form_stays_a_moderator(
    client, moderator, moderators_group
):
    """A moderator is staff, so their own account is out of their reach."""
    client = admin_client(client, moderator)
    response = client.post(
        _member_change(moderator),
        _escalation(groups=[moderators_group], display_name="Boss"),
    )
    assert_not_found(response)
    _assert_untouched(moderator, username="mod", email="mod@example.com")
    assert moderator.display_name != "Boss"
    assert list(moderator.groups.all()) == [moderators_group]


def test_moderator_crafted_post_changes_only_a_members_profile(
    client, moderator, member, moderators_group
):
    """Privileges, credentials and dates posted by hand are not form fields."""
    client = admin_client(client, moderator)
    response = client.post(
        _member_change(member),
        _escalation(groups=[moderators_group], display_name="Ada L."),
    )
    assert response.status_code == 302
    _assert_untouched(member, username="ada", email="ada@example.com")
    assert member.display_name == "Ada L."
    assert not member.is_staff
    assert not member.groups.exists()


def test_moderator_sees_no_privileges_on_a_members_form(client, moderator, member):
    """Only the profile is editable; no password link, no permission widgets."""
    response = admin_client(client, moderator).get(_member_change(member))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.fields) == {
        "first_name",
        "last_name",
        "display_name",
        "job_title",
        "company_name",
        "location",
        "bio",
        "website",
        "github_username",
        "avatar",
    }
    page = response.content.decode()
    for hidden in ["is_superuser", "is_staff", "is_active", "groups", "password"]:
        assert f'name="{hidden}"' not in page
    assert _password_change(member) not in page


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", [MODERATOR, TRUSTED_STAFF])
def test_password_form_is_refused_to_everyone_but_superusers(client, role, method):
    """Not for a member, not for a superuser, not even for oneself."""
    user = make_role(role)
    superuser = make_role(SUPERUSER)
    client = admin_client(client, user)
    data = {"password1": "a new password 123", "password2": "a new password 123"}
    for target in [user, make_member(), superuser]:
        response = getattr(client, method)(_password_change(target), data)
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def test_moderator_cannot_see_change_or_suspend_staff(client, moderator, member):
    """Staff accounts, other moderators included, are out of a moderator's
    list, forms and actions."""
    other_moderator = make_role(MODERATOR)
    staff = make_role(STAFF)
    client = admin_client(client, moderator)
    listed = client.get(reverse("admin:accounts_user_changelist"))
    assert list(listed.context["cl"].result_list) == [member]
    for target in [staff, other_moderator]:
        assert_not_found(client.get(_member_change(target)))
        assert_not_found(
            client.post(_member_change(target), {"display_name": "Renamed"})
        )
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "suspend_selected",
            "_selected_action": [staff.pk, other_moderator.pk, member.pk],
            "index": "0",
        },
    )
    assert response.status_code == 302
    assert set(User.objects.filter(is_suspended=True)) == {member}
    assert ModerationEvent.objects.get().target_id == str(member.pk)
    staff.refresh_from_db()
    assert staff.display_name == ""


def test_only_superusers_delete_accounts(client, member):
    """Staff holding `delete_user` still cannot delete a member or staff."""
    staff = make_role(STAFF)
    client = admin_client(client, make_role(TRUSTED_STAFF))
    for target in [member, staff]:
        response = client.post(_url(target, "delete"), {"post": "yes"})
        assert response.status_code == 403
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [member.pk, staff.pk],
            "post": "yes",
        },
    )
    assert "No action selected." in _messages(response)
    assert _exists(member)
    assert _exists(staff)


def test_staff_cannot_grant_themselves_groups(client, moderators_group):
    """Staff given change rights on members and groups still gain no group."""
    staff = make_role(STAFF)
    staff.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_user", "change_user", "view_group", "change_group"]
        )
    )
    client = admin_client(client, staff)
    response = client.post(
        _member_change(staff),
        _escalation(groups=[moderators_group], display_name="Root"),
    )
    assert_not_found(response)
    response = client.post(
        _url(moderators_group, "change"),
        {"name": MODERATORS_GROUP, "permissions": [], "user_set": [staff.pk]},
    )
    assert response.status_code == 403
    staff = User.objects.get(pk=staff.pk)
    assert not staff.groups.exists()
    assert not staff.is_superuser
    assert not staff.has_perm("accounts.delete_user")


def test_superuser_manages_staff_groups_and_passwords(client, member, moderators_group):
    """Everything refused above stays possible for a superuser."""
    superuser = make_role(SUPERUSER)
    staff = make_role(STAFF)
    client = admin_client(client, superuser)
    page = client.get(_member_change(member))
    for field in ["is_superuser", "is_staff", "groups", "user_permissions"]:
        assert field in page.context["adminform"].form.fields
    response = client.post(
        _member_change(member),
        {
            "username": "ada",
            "email": "ada@example.com",
            "is_active": "on",
            "is_staff": "on",
            "groups": [moderators_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "display_name": "Ada Lovelace",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff
    assert list(member.groups.all()) == [moderators_group]

    assert client.get(_password_change(staff)).status_code == 200
    response = client.post(
        _password_change(staff),
        {
            "password1": "a new password 123",
            "password2": "a new password 123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("a new password 123")

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "suspend_selected", "_selected_action": [staff.pk], "index": "0"},
    )
    staff.refresh_from_db()
    assert staff.is_suspended


@pytest.mark.django_db
def test_superuser_sees_a_second_factor_but_never_its_secret(client):
    """The back office lists a member's authenticator app and can delete it,
    but its page shows neither the seed nor the recovery codes."""
    from allauth.mfa.models import Authenticator

    root = make_member(username="root", is_staff=True, is_superuser=True)
    member = make_member(username="ada")
    secret = enrol_totp(member)
    codes = Authenticator.objects.get(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    )
    client = admin_client(client, root)
    totp = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert str(totp.data["secret"]) not in page.content.decode()
    assert '"data"' not in page.content.decode()
    page = client.get(reverse("admin:mfa_authenticator_change", args=[codes.pk]))
    assert str(codes.data.get("seed", "no seed")) not in page.content.decode()
    response = client.post(
        reverse("admin:mfa_authenticator_change", args=[totp.pk]),
        {"data": "{}", "type": "totp"},
    )
    assert response.status_code == 403
    assert Authenticator.objects.get(pk=totp.pk).data == totp.data
