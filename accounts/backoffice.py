"""The back office's door: one login for everyone, a second factor for staff.

The admin has no login form of its own. `/admin/login/` only forwards to
allauth's login, so the rate limits, the lockout after failed attempts and
the second-factor step that guard the site guard the admin too.

`AdminRequiresMFAMiddleware` then stands in front of every view of the admin
(any URL an `AdminSite` serves, found by the resolver's app name rather than
by path, so views added by a `ModelAdmin` are covered too). Staff,
superusers and moderators get no admin page until they have an
authenticator (app or passkey) and have used it in the current session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import urlencode

from accounts.models import User
from accounts.moderators import MODERATORS_GROUP
from stackshare.hostile import safe_next_url

# Authenticators that give a second factor at login; recovery codes only
# stand in for a lost one.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

ENROL_MESSAGE = (
    "The back office needs two-factor authentication. Set up an authenticator "
    "app or a passkey here, then open the back office again."
)
CONFIRM_MESSAGE = (
    "Confirm it is you with your authenticator app, a recovery code or your "
    "passkey before the back office opens."
)


def admin_login(
    request: HttpRequest, extra_context: dict[str, Any] | None = None
) -> HttpResponse:
    """Replace the admin's login form with a redirect to allauth's login.

    It never authenticates anybody, whatever is posted to it. Signed-in
    staff go on to `next`; other signed-in members are refused, as the
    admin's own login page would. (`extra_context` is accepted, and
    ignored, like `AdminSite.login`'s.)
    """
    next_url = safe_next_url(request, reverse("admin:index"), field=REDIRECT_FIELD_NAME)
    if request.user.is_authenticated:
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return HttpResponseRedirect(next_url)
    login_url = resolve_url(settings.LOGIN_URL)
    query = urlencode({REDIRECT_FIELD_NAME: next_url})
    return HttpResponseRedirect(f"{login_url}?{query}")


def must_use_mfa_for_admin(user: User) -> bool:
    """Whether this user needs a second factor to use the back office."""
    return (
        user.is_staff
        or user.is_superuser
        or user.groups.filter(name=MODERATORS_GROUP).exists()
    )


def used_mfa_this_session(request: HttpRequest, user: User) -> bool:
    """Whether this session's sign-in (or a later re-check) used a second factor.

    allauth records every authentication step in the session, including
    the code or passkey given at login and at a re-authentication.
    """
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, user)
    )


class AdminRequiresMFAMiddleware(MiddlewareMixin):
    """Keep staff and moderators out of the admin until they use MFA.

    Without an authenticator they are sent to enrol one; with one not used
    in this session, to confirm it and come back to the page they asked
    for. Either way the admin view never runs, so a GET shows nothing and a
    POST changes nothing.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "admin" not in match.app_names:
            return None
        user = request.user
        if not user.is_authenticated or not must_use_mfa_for_admin(user):
            return None
        if not is_mfa_enabled(user, SECOND_FACTORS):
            messages.warning(request, ENROL_MESSAGE)
            return HttpResponseRedirect(reverse("mfa_index"))
        if used_mfa_this_session(request, user):
            return None
        messages.info(request, CONFIRM_MESSAGE)
        return HttpResponseRedirect(_mfa_reauthentication_url(request, user))


def _mfa_reauthentication_url(request: HttpRequest, user: User) -> str:
    """allauth's re-authentication page for this user's kind of second factor.

    An authenticator app (or recovery code) page when they have one, else
    the passkey page; it comes back to the admin page asked for.
    """
    urls = [
        method["url"]
        for method in get_account_adapter(request).get_reauthentication_methods(user)
        if method["id"].startswith("mfa_reauthenticate")
    ]
    url = urls[0] if urls else reverse("mfa_reauthenticate")
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
