"""Request types for view signatures.

Django types ``request.user`` as ``User | AnonymousUser`` and knows nothing
of the attributes middleware adds. Views name what they rely on instead:
``HtmxHttpRequest`` for ``request.htmx`` (django-htmx's middleware) and
``AuthenticatedHttpRequest`` behind ``@login_required``, where the user is
always a member. These are annotations only; the request objects Django
passes are unchanged.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
