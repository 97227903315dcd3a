"""Request types for view signatures.

Django types ``request.user`` as ``User | AnonymousUser`` and knows nothing
of the attributes middleware adds. Views name what they rely on instead:
``HtmxHttpRequest`` for ``request.htmx`` (django-htmx's middleware) and
``AuthenticatedHttpRequest`` behind ``@login_required``, where the user is
always a member. These are annotations only; the request objects Django
passes are unchanged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User


def acting_member(request: HttpRequest) -> User:
    """The member behind a request that only members reach (the back office,
    where Django's admin has already refused anyone not signed in as staff,
    or a page's signed-in part). Anyone else is refused here too, rather
    than recorded as the actor."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user
