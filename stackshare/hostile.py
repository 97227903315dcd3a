"""Hostile input is refused at the door, with a 400, before any view reads it.

No form on the site accepts a NUL character or text that is not valid
Unicode, and PostgreSQL refuses to store or even compare a NUL in a string
(psycopg raises, the page would answer 500). Rather than every view and
every lookup guarding against it, :class:`RejectHostileInputMiddleware`
turns such requests away early: the path, the query string, cookies and
form fields (names and values) are checked, and so is their length, since
a query string or a single field far longer than any form takes only costs
work before a form would refuse it anyway.

It also gives the views one way to follow a ``next`` parameter safely:
:func:`safe_next_url`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

# No page reads more than a few short parameters (a filtered tool list
# stays under 300 characters), but a long text pasted into the search box
# deserves the search page's own "too long" notice. 8 KB is also where
# common proxies (nginx) stop accepting a request line.
MAX_QUERY_STRING_LENGTH = 8192
# The longest field any form takes is the stack import's pasted manifest
# (500,000 characters); twice that is far beyond any form.
MAX_FIELD_LENGTH = 1_000_000
MAX_NEXT_LENGTH = 2048
# No form takes more: an avatar is at most 2 MB, a stack import 512 KB. A
# bigger body is refused before it is read, so nobody can make a worker
# receive and parse a hundred megabytes (Django's own upload limit does not
# count files).
MAX_BODY_LENGTH = 10 * 1024 * 1024

# NUL, and UTF-16 surrogates, which only a broken encoder (or a JSON
# \ud800 escape) produces and which no database column can hold.
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
# Django decodes the path as UTF-8 and puts bytes that are not UTF-8 back
# as %-escapes, so a decoded path holding the escape of a non-ASCII byte
# came from a broken one. No address of the site has a literal "%" in it.
BROKEN_PATH_ESCAPE = re.compile("%[89a-fA-F][0-9a-fA-F]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class HostileInputError(ValueError):
    """The request carries input no page of the site could take."""

    status = 400


class RequestTooLargeError(HostileInputError):
    """The request's body is bigger than any form of the site takes."""

    status = 413


def is_storable(text: str) -> bool:
    """Whether ``text`` has no NUL and no lone surrogate, so any database
    column can hold it and any query can compare with it."""
    return not FORBIDDEN.search(text)


def check_text(text: str, *, where: str) -> None:
    """Refuse NUL characters and lone surrogates in ``text``."""
    if not is_storable(text):
        raise HostileInputError(f"The {where} holds characters no page accepts.")


def decode_strictly(raw: bytes, *, where: str, encoding: str = "utf-8") -> str:
    """``raw`` as text; undecodable bytes (a broken %-escape) are refused."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise HostileInputError(f"The {where} is not valid text.") from None


def check_urlencoded(raw: bytes, *, where: str, encoding: str = "utf-8") -> None:
    """Check a query string or form body as sent, before Django decodes it.

    Django's own parsing replaces undecodable %-escapes silently; here they
    are refused, as are NUL characters however they were written.
    """
    text = decode_strictly(
        unquote_to_bytes(raw.replace(b"+", b" ")), where=where, encoding=encoding
    )
    check_text(text, where=where)


def raw_bytes(text: str) -> bytes:
    """A WSGI string as the bytes that came over the wire (PEP 3333)."""
    try:
        return text.encode("iso-8859-1")
    except UnicodeEncodeError:  # already decoded (ASGI, some test clients)
        return text.encode("utf-8", errors="surrogatepass")


def check_fields(pairs: Iterable[tuple[str, str]], *, where: str) -> None:
    """Refuse forbidden characters in names and values, and huge values."""
    for name, value in pairs:
        check_text(name, where=where)
        check_text(value, where=where)
        if len(value) > MAX_FIELD_LENGTH:
            raise HostileInputError(f"A field of the {where} is far too long.")


def check_request(request: HttpRequest) -> None:
    """Raise :class:`HostileInputError` if the address or cookies are hostile."""
    check_text(request.path_info, where="address")
    if BROKEN_PATH_ESCAPE.search(request.path_info):
        raise HostileInputError("The address is not valid text.")

    query = raw_bytes(request.META.get("QUERY_STRING", ""))
    if len(query) > MAX_QUERY_STRING_LENGTH:
        raise HostileInputError("The address is far too long.")
    check_urlencoded(query, where="address")

    # A session key with a NUL would reach the database on lookup.
    check_fields(request.COOKIES.items(), where="cookies")


def check_body(request: HttpRequest) -> None:
    """Raise :class:`HostileInputError` if a posted body is too big to read
    or its form fields are hostile."""
    if request.method != "POST":
        return
    try:
        length = int(request.headers.get("content-length") or 0)
    except ValueError:
        raise HostileInputError("The request's length is not a number.") from None
    if length > MAX_BODY_LENGTH:
        raise RequestTooLargeError(
            f"This is more than the {MAX_BODY_LENGTH // (1024 * 1024)} MB any form "
            "of the site takes."
        )
    content_type = request.content_type or ""
    if content_type not in FORM_TYPES:
        return  # JSON or raw bodies are each view's own business
    # Django ignores a charset it does not know, so this one exists.
    encoding = request.encoding or settings.DEFAULT_CHARSET
    if content_type == "application/x-www-form-urlencoded":
        check_urlencoded(request.body, where="form", encoding=encoding)
    check_fields(
        ((name, value) for name, values in request.POST.lists() for value in values),
        where="form",
    )
    # Uploaded files' names need no check here: Django's multipart parser
    # drops every non-printable character (NUL, surrogates) from them.
    for name in request.FILES:
        check_text(name, where="form")


class RejectHostileInputMiddleware:
    """Answer 400 to requests carrying NUL bytes, invalid Unicode or
    absurdly long fields, before sessions, views or the database see them.

    Listed early, right after the security and static-file middleware: the
    address and cookies are checked before anything else runs, the body
    once the view is known (still before the CSRF check, which reads it).
    A view exempt from the CSRF check reads its own body and says itself
    how much it takes (the stack import refuses an upload too big for it
    before reading it, and its form says why), so its body is left to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except HostileInputError as error:
            if request.path_info.startswith(API_PREFIX):
                return api_problem(str(error), status=error.status)
            return bad_request(str(error), status=error.status)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if getattr(view_func, "csrf_exempt", False):
            return None
        try:
            check_body(request)
        except HostileInputError as error:
            return bad_request(str(error), status=error.status)
        return None


# The public API answers errors as RFC 9457 problems, not pages (api/problems.py).
API_PREFIX = "/api/"


def api_problem(problem: str, *, status: int = 400) -> HttpResponse:
    title = HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": title, "status": status, "detail": problem}
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/problem+json"
    )


def bad_request(problem: str, *, status: int = 400) -> HttpResponse:
    """The site's 400 page (or another 4xx), saying what was wrong.

    Rendered without the request, as Django renders its own 400 page: the
    request is the very thing that cannot be trusted here.
    """
    body = loader.render_to_string(
        "400.html", {"problem": problem, "SITE_NAME": settings.SITE_NAME}
    )
    return HttpResponse(body, status=status)


def safe_next_url(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """Where a ``next`` parameter (POST, else GET) asks to go, when that is
    a path on this site; ``fallback`` otherwise.

    Only absolute paths are followed: a bare word such as ``abc`` would be
    taken for a view name by ``redirect()`` or resolve against the current
    address, and another host or scheme would make the site an open
    redirect. Django's check refuses ``//other.host/`` and ``/\\other.host``
    (and, outside debug, a scheme-relative address without HTTPS); control
    characters are refused too. Redirect with ``HttpResponseRedirect``.
    """
    target = request.POST.get(field) or request.GET.get(field) or ""
    if (
        not target.startswith("/")
        or len(target) > MAX_NEXT_LENGTH
        or any(unicodedata.category(char)[0] == "C" for char in target)
        or not url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure() or not settings.DEBUG,
        )
    ):
        return fallback
    return target
