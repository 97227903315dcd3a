from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.backoffice import must_use_mfa_for_admin
from accounts.models import User
from accounts.moderators import MODERATORS_GROUP
from accounts.tests.factories import (
    PASSWORD,
    enrol_totp,
    make_member,
    sign_in_with_mfa,
    totp_code,
    unused_recovery_code,
)
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.fixture(params=["staff", "superuser", "moderator"])
def privileged(request) -> User:
    """Every kind of member the back office lets in."""
    if request.param == "staff":
        return make_member(username="clerk", is_staff=True)
    if request.param == "superuser":
        return make_member(username="boss", is_staff=True, is_superuser=True)
    return make_member(username="warden", moderator=True)


def admin_requests(tool_pk: int) -> list[tuple[str, str, dict[str, Any]]]:
    """An admin index, a changelist, a change form and a change POST."""
    change = reverse("admin:tools_tool_change", args=[tool_pk])
    return [
        ("get", reverse("admin:index"), {}),
        ("get", reverse("admin:tools_tool_changelist"), {}),
        ("get", change, {}),
        ("post", change, {"name": "Renamed in the admin"}),
        (
            "post",
            reverse("admin:tools_tool_changelist"),
            {"action": "delete_selected", "_selected_action": [tool_pk], "post": "yes"},
        ),
    ]


# One front door ---------------------------------------------------------------


def test_admin_login_forwards_to_allauth_with_next(client):
    """The admin's login page is only a redirect to the site's login."""
    response = client.get(
        reverse("admin:login"), {"next": reverse("admin:tools_tool_changelist")}
    )
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("account_login")
    assert query(response.url)["next"] == [reverse("admin:tools_tool_changelist")]


def test_opening_the_admin_signed_out_ends_on_the_site_login(client):
    """/admin/ leads to allauth's login, which brings the person back to /admin/."""
    response = client.get(reverse("admin:index"), follow=True)
    final_url = response.redirect_chain[-1][0]
    assert urlsplit(final_url).path == reverse("account_login")
    assert query(final_url)["next"] == [reverse("admin:index")]
    assert response.status_code == 200


def test_admin_login_ignores_an_offsite_next(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert query(response.url)["next"] == [reverse("admin:index")]


def test_posting_credentials_to_the_admin_login_signs_nobody_in(client, staff):
    """The right password posted to /admin/login/ does not authenticate."""
    response = client.post(
        reverse("admin:login"),
        {"username": staff.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("account_login")
    assert signed_in_user_id(client) is None


def test_signed_in_members_without_staff_status_are_refused(member_client):
    """A member sent to the admin login gets a 403, not a redirect loop."""
    response = member_client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403


def test_wrong_passwords_are_rate_limited_on_the_only_login(client, staff):
    """After ten failures from one address even the right password is refused.

    This is the login the admin sends people to, so guessing a staff
    password is as slow there as anywhere.
    """
    login = reverse("account_login") + "?next=/admin/"
    for attempt in range(10):
        response = client.post(
            login, {"login": f"someone{attempt}", "password": "guess"}
        )
        assert b"not correct" in response.content
    response = client.post(login, {"login": staff.username, "password": PASSWORD})
    assert b"Too many failed login attempts" in response.content
    assert signed_in_user_id(client) is None


def test_a_flood_of_login_attempts_gets_429(client):
    """Past 30 attempts a minute from one address the login answers 429."""
    statuses = [
        client.post(
            reverse("account_login"), {"login": "admin", "password": "guess"}
        ).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_password_reset_requests_are_rate_limited(client):
    """Probing addresses through password reset is cut off after 5 a minute each."""
    for _ in range(5):
        response = client.post(
            reverse("account_reset_password"), {"email": "someone@example.com"}
        )
        assert response.status_code == 302
    response = client.post(
        reverse("account_reset_password"), {"email": "someone@example.com"}
    )
    assert response.status_code == 429


def test_password_login_of_a_member_with_mfa_asks_for_the_code(client, member):
    """Password alone does not sign in a member who enrolled an authenticator."""
    secret = enrol_totp(member)
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert b"Incorrect code" in response.content
    assert signed_in_user_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert signed_in_user_id(client) == str(member.pk)


# MFA before any admin page ---------------------------------------------------


def test_who_must_use_mfa_for_the_admin(member, moderator, staff):
    """Staff, superusers and members of the Moderators group; nobody else."""
    in_group_only = make_member(username="helper")
    in_group_only.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    assert must_use_mfa_for_admin(staff)
    assert must_use_mfa_for_admin(moderator)
    assert must_use_mfa_for_admin(in_group_only)
    assert not must_use_mfa_for_admin(member)


def test_without_an_authenticator_every_admin_url_sends_to_enrolment(
    client, privileged
):
    """No admin page, change or deletion without MFA enrolled: only a way to enrol."""
    tool = make_tool(name="Flask")
    client.force_login(privileged)
    for method, url, data in admin_requests(tool.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_index"), url
    tool.refresh_from_db()
    assert tool.name == "Flask"

    page = client.get(reverse("mfa_index"))
    assert b"The back office needs two-factor authentication" in page.content
    assert b"Authenticator app" in page.content


def test_an_authenticator_not_used_this_session_must_be_confirmed(client, privileged):
    """Enrolled, but signed in without the second factor: confirm it first."""
    tool = make_tool(name="Flask")
    secret = enrol_totp(privileged)
    client.force_login(privileged)
    for method, url, data in admin_requests(tool.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert urlsplit(response.url).path == reverse("mfa_reauthenticate"), url
        assert query(response.url)["next"] == [url]
    tool.refresh_from_db()
    assert tool.name == "Flask"

    index = reverse("admin:index")
    response = client.get(index, follow=True)
    assert b"before the back office opens" in response.content
    response = client.post(
        reverse("mfa_reauthenticate") + f"?next={index}", {"code": totp_code(secret)}
    )
    assert response.url == index
    response = client.get(index)
    assert response.status_code == 200
    assert b"stackshare back office" in response.content


def test_a_password_reauthentication_is_not_a_second_factor(client, staff):
    """Typing the password again does not open the admin."""
    enrol_totp(staff)
    client.force_login(staff)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert urlsplit(response.url).path == reverse("mfa_reauthenticate")


def test_a_recovery_code_confirms_the_second_factor(client, staff):
    """Lost phone: a recovery code at login opens the admin too."""
    enrol_totp(staff)
    client.post(
        reverse("account_login"), {"login": staff.username, "password": PASSWORD}
    )
    client.post(reverse("mfa_authenticate"), {"code": unused_recovery_code(staff)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_signed_in_with_mfa_the_admin_works(client, privileged):
    """After password and code the admin opens and saves changes."""
    tool = make_tool(name="Flask")
    sign_in_with_mfa(client, privileged)
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.get(reverse("admin:tools_tool_changelist"))
    assert response.status_code in {200, 403}  # moderators' rights are per model
    if privileged.is_superuser:
        response = client.get(reverse("admin:tools_tool_change", args=[tool.pk]))
        assert response.status_code == 200
        assert b"Flask" in response.content


def test_sign_in_with_mfa_twice_in_a_row(client, staff):
    """The helper signs in again within the same 30 seconds (a recovery code)."""
    sign_in_with_mfa(client, staff)
    client.logout()
    other = Client()
    sign_in_with_mfa(other, staff)
    assert other.get(reverse("admin:index")).status_code == 200
