"""The write gate: every state-changing request from a signed-in member
passes through it before its view runs.

It asks two things, in this order, for any method other than GET, HEAD,
OPTIONS and TRACE:

1. May this member write at all (``User.can_write``: not suspended, not
   deactivated)? If not, a 403 page explains the suspension, unless the
   address is one of SUSPENDED_MAY: leaving (log out) and looking after the
   account's own security (password, e-mail addresses, two-factor
   authentication, linked GitHub account). A suspension keeps a member from
   changing the site, never from securing or leaving their account. There is
   no account deletion to allow.
2. Is the member within the rate limit of the address's action class
   (ACTIONS, "write" for any address it does not name;
   stackshare.ratelimits holds the limits)? If not, a 429 page says which
   limit and for how long (Retry-After). The view never ran, so nothing
   is half saved.

Because the gate sits in front of every view, an address added later is
covered without a line here. Left out on purpose:

- Anonymous requests: signing up, logging in and resetting a password are
  allauth's, which has rate limits of its own.
- The back office (the "admin" namespace, /admin/). Suspension is for what
  members do on the site; who may do what in the back office is governed by
  its own flags and permissions (is_staff, groups), and a superuser must be
  able to lift a suspension, their own included. To stop a staff member,
  take away their staff flag or group.

Pages that only show a form (FORM_PAGES) show the suspension on GET too,
instead of a form that could not be sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from accounts.services import SUSPENDED_MESSAGE
from stackshare import ratelimits
from stackshare.htmx import wants_fragment
from stackshare.types import HtmxHttpRequest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
BACK_OFFICE_NAMESPACE = "admin"

# What a suspended member may still do, by URL name (allauth's names have
# no namespace). Everything else that writes is refused.
SUSPENDED_MAY: frozenset[str] = frozenset(
    {
        "account_logout",
        "account_reauthenticate",  # allauth asks for it before security changes
        "account_change_password",
        "account_set_password",  # members who signed up with GitHub
        "account_email",  # add, verify, make primary, remove addresses
        "account_confirm_email",
        "socialaccount_connections",  # unlink GitHub
    }
)
# The two-factor pages (allauth.mfa), allowed as soon as they are installed.
SUSPENDED_MAY_MFA: frozenset[str] = frozenset(
    {
        "mfa_index",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_trust",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_list_webauthn",
        "mfa_add_webauthn",
        "mfa_edit_webauthn",
        "mfa_remove_webauthn",
        "mfa_reauthenticate_webauthn",
    }
)

# The action class of each address that has its own rate limit, by URL
# name; any other write counts as DEFAULT_ACTION. decisions:create and
# decisions:update also preview and pick tools at the same address, so here
# they are plain writes and the view counts "post" itself when a new post is
# published (decisions.views.writing._publish).
DEFAULT_ACTION = "write"
ACTIONS: dict[str, str] = {
    "decisions:comment": "comment",
    "decisions:upvote": "vote",
    "decisions:report": "report",
    "decisions:comment_report": "report",
    "tools:vote": "vote",
    "tools:procon_vote": "vote",
    "tools:procon_add": "procon",
    "tools:create": "submit",
    "stacks:import": "import",
    "stacks:import_confirm": "import",
}
# Never limited: a member can always leave.
NOT_LIMITED: frozenset[str] = frozenset({"account_logout"})

# Pages whose GET shows only a form to write something; a suspended member
# reads why instead.
FORM_PAGES: frozenset[str] = frozenset(
    {
        "accounts:profile_edit",
        "decisions:create",
        "decisions:update",
        "decisions:delete",
        "decisions:report",
        "decisions:comment_report",
        "stacks:company_create",
        "stacks:company_update",
        "stacks:create",
        "stacks:update",
        "stacks:delete",
        "stacks:import",
        "tools:create",
    }
)


def suspended_may(view_name: str) -> bool:
    """Whether a suspended member may still send this address a write."""
    return view_name in SUSPENDED_MAY or view_name in SUSPENDED_MAY_MFA


def action_for(view_name: str) -> str | None:
    """The rate-limit class of a write to this address; None if never limited."""
    if view_name in NOT_LIMITED:
        return None
    return ACTIONS.get(view_name, DEFAULT_ACTION)


def is_back_office(namespaces: list[str]) -> bool:
    return BACK_OFFICE_NAMESPACE in namespaces


def _back_url(request: HttpRequest) -> str:
    """Where the refused member came from, if it was this site; else home."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def refuse(
    request: HtmxHttpRequest, *, status: int, title: str, text: str
) -> HttpResponse:
    """A page that says why a write was refused and offers a way back.

    An htmx request gets the page's content alone, retargeted to replace
    the page's main content (site.js lets htmx swap a 4xx that names its
    target), so the message shows wherever the button was.
    """
    context = {
        "status": status,
        "title": title,
        "text": text,
        "back_url": _back_url(request),
    }
    if wants_fragment(request):
        response = render(request, "refusal.html#refusal", context, status=status)
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "innerHTML show:window:top"
        return response
    return render(request, "refusal.html", context, status=status)


def suspended(request: HtmxHttpRequest) -> HttpResponse:
    """The 403 a suspended member gets for any write."""
    return refuse(
        request,
        status=403,
        title="Your account is suspended",
        text=SUSPENDED_MESSAGE,
    )


def rate_limited(
    request: HtmxHttpRequest, *, action: str, user_id: int
) -> HttpResponse:
    """The 429 a member over a limit gets, with Retry-After in seconds."""
    response = refuse(
        request,
        status=429,
        title="Slow down a little",
        text=ratelimits.message(action),
    )
    response["Retry-After"] = str(
        ratelimits.retry_after(user_id=user_id, action=action)
    )
    return response


class WriteGateMiddleware(MiddlewareMixin):
    """Refuse writes from suspended members and members over a rate limit.

    It runs after authentication and messages, and in process_view, once
    the address is resolved; see the module's docstring for what it lets
    through.
    """

    def process_view(
        self,
        request: HtmxHttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or is_back_office(match.namespaces):
            return None
        name = match.view_name
        reading = request.method in SAFE_METHODS
        # A read costs nothing here: the member is not even loaded, except
        # on the few pages that only show a form.
        if reading and not (request.method in {"GET", "HEAD"} and name in FORM_PAGES):
            return None
        user = request.user
        if not isinstance(user, User):  # anonymous: allauth's business
            return None
        if not user.can_write and not suspended_may(name):
            return suspended(request)
        if reading:
            return None
        action = action_for(name)
        if action is not None and not ratelimits.hit(user_id=user.pk, action=action):
            return rate_limited(request, action=action, user_id=user.pk)
        return None
