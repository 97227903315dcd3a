"""The cache: versions, one "bump" after commit, one get-or-build, whole pages.

- **Versions** (:func:`version`, ``v:<kind>:<ident>``) stand for what a
  cached thing is built from: ``STRUCTURE`` (names, moderation, the back
  office: every page), ``LISTS`` (catalog-wide lists and counts),
  ``FOUND`` (what search finds: posts, companies, members coming, going or
  rewritten), and one version per tool, category, company, stack, post,
  member. A key built on
  versions holds their current values, so bumping one skips every entry
  built on it, on every app server.
- **A page built from many things** (a member's feed follows hundreds)
  reads :func:`buckets` of their versions instead: a bump moves its
  version's bucket too, so a page of hundreds of versions reads at most
  ``BUCKETS`` of them, and moves when one of them does (or another thing
  of the same bucket does).
- **Services bump them** with :func:`bump`, which runs once the
  transaction commits: ``bump(tools=[slug])`` for a tool's own pages,
  ``bump(counts=[slug])`` when only its followers, votes or a reader's
  state moved, ``lists=True`` when its catalog counters or place moved too
  (then the category pages above it move, not all of them, and their
  stacks figures, under ``adoption_version``, only for ``tools``).
- **One get-or-build**, :func:`kept` (``kept(name, build,
  versions=[...])``). An entry holds the values of the versions it was
  built under and is served only while they are still current, so the
  versions and the entry are read in one round trip, and a bump leaves
  one entry to overwrite, not one more. It stays fresh
  ``PAGE_CACHE_SECONDS`` and is stored twice as long: once older, one
  request rebuilds it while the others still get it, so a busy page that
  expires is not rendered by every worker at once.
- **Whole pages** (:func:`cache_page`): anonymous readers' GETs, keyed with
  Django's own ``get_cache_key``/``learn_cache_key`` (the address and every
  header the response varies on, such as an htmx swap against a history
  restore) under the page's versions; a hit reads the header list, the
  versions and the page in one round trip. A page sees only the query
  parameters it declares, so ``?utm_source=…`` makes no new entry. A
  page is kept gzipped too (:func:`_gzipped`).

What a page shows in passing about *other* things (a tool page's
alternatives, view counters) may lag by up to ``PAGE_CACHE_SECONDS``, and
so may search pages' counts and their order by them: every distinct query
is a page of its own, so expiring them all on each follow, vote or stack
edit kept nearly every search cold. They say so.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import time
import zlib
from collections.abc import Callable, Iterable
from functools import partial, wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import (
    get_cache_key,
    get_conditional_response,
    learn_cache_key,
    patch_vary_headers,
)
from django.utils.text import compress_string

from stackshare.htmx import FRAGMENT_HEADERS

View = Callable[..., HttpResponse]
Versions = list[str] | Callable[[dict[str, Any]], list[str]]


def version(kind: str, ident: object = "all") -> str:
    """The version of one thing's pages: ``version("company", slug)``."""
    return f"v:{kind}:{ident}"


STRUCTURE = version("structure")
LISTS = version("lists")
FOUND = version("found")


# How many buckets the versions fall into (see buckets), and how many
# coarse buckets those fall into in turn.
BUCKETS = 64
COARSE_BUCKETS = 8


def buckets(versions: Iterable[str]) -> list[str]:
    """The buckets of these versions: each moves whenever one of its
    versions does.

    Performance: a member who follows 250 things had their feed's hit read
    254 versions, each a key of the round trip to parse (about 60 % of the
    hit); it reads at most ``BUCKETS``. The price: another thing of the
    same bucket also moves the page, as often as one bump in ``BUCKETS``
    for a reader of one thing. Versions that fill nearly every bucket
    (more than seven in eight) move the page with nearly every bump anyway,
    so they are read as ``COARSE_BUCKETS`` coarse ones instead: that feed's
    hit read 64 buckets, about a third of its time, and now reads 8.
    """
    versions = list(versions)
    fine = {_bucket(key) for key in versions}
    if len(fine) <= BUCKETS * 7 // 8:
        return sorted(fine)
    return sorted({_coarse_bucket(key) for key in versions})


def _bucket(key: str) -> str:
    return version("bucket", zlib.crc32(key.encode()) % BUCKETS)


def _coarse_bucket(key: str) -> str:
    return version("coarse-bucket", zlib.crc32(key.encode()) % COARSE_BUCKETS)


def tool_version(slug: str) -> str:
    return version("tool", slug)


def tool_versions(kwargs: dict[str, Any]) -> list[str]:
    """A tool's own pages (its page, alternatives, badge, API answer)."""
    return [STRUCTURE, tool_version(kwargs["slug"])]


def category_version(slug: str) -> str:
    """The version of one category page (at any level of the catalog)."""
    return version("category", slug)


def adoption_version(slug: str) -> str:
    """A category page's figures about its tools' stacks (the tool count of
    each child, the rising and declining tools), which follows and votes
    leave alone."""
    return version("adoption", slug)


def bump(
    *keys: str,
    tools: Iterable[str] = (),
    counts: Iterable[str] = (),
    lists: bool = False,
) -> None:
    """Once the current transaction commits, bump these versions.

    ``tools`` names tools whose pages changed; ``counts`` tools of which
    only followers, votes or a reader's own state changed. ``lists`` also moves the catalog-wide lists and
    the category pages above those tools (every level), so a follow expires
    three category pages, not all of them; the stacks figures of those
    categories move only for ``tools``.
    """
    transaction.on_commit(partial(_bump, [*keys], [*tools], [*counts], lists))


def _bump(keys: list[str], tools: list[str], counts: list[str], lists: bool) -> None:
    keys += [tool_version(slug) for slug in [*tools, *counts]]
    if lists:
        keys.append(LISTS)
        above = _categories_of(tools)
        keys += [adoption_version(slug) for slug in above]
        above |= _categories_of(counts)
        keys += [category_version(slug) for slug in above]
    if keys:
        keys += {bucket(key) for key in keys for bucket in (_bucket, _coarse_bucket)}
        cache.set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)


def _categories_of(tool_slugs: list[str]) -> set[str]:
    from tools.models import Tool

    if not tool_slugs:
        return set()
    rows = Tool.objects.filter(slug__in=tool_slugs).values_list(
        "function__slug", "function__parent__slug", "function__parent__parent__slug"
    )
    return {slug for row in rows for slug in row if slug}


def stamps(
    versions: Iterable[str], *, found: dict[str, Any] | None = None
) -> list[str]:
    """The current value of each version, in one round trip when all exist
    (none when they are among the values ``found`` already)."""
    if not (versions := list(versions)):
        return []
    if found is None:
        found = cache.get_many(versions)
    if missing := [key for key in versions if key not in found]:
        # A version never bumped (or evicted) starts anew, so an entry built
        # under an older value of it can never be served again.
        for key in missing:
            started = time.time_ns()
            if cache.add(key, started, timeout=None):
                found[key] = started
        if lost := [key for key in missing if key not in found]:
            found.update(cache.get_many(lost))  # another process started them
    return [str(found.get(key, "")) for key in versions]


def _key(kind: str, *parts: str) -> str:
    text = "|".join([settings.PAGE_CACHE_RELEASE, *parts])
    return f"{kind}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def kept[T](
    name: str,
    build: Callable[[], T],
    *,
    versions: Iterable[str] = (),
    seconds: int | None = None,
    keep_if: Callable[[T], bool] = lambda value: value is not None,
) -> T:
    """``build()``'s result, kept under ``name`` while the versions keep
    the values it was built under.

    Fresh for ``seconds`` (``PAGE_CACHE_SECONDS`` unless told; 0 builds
    every time), stored twice as long: the first request to see an older
    entry rebuilds it while the others keep getting it. It is only ever
    served under the same versions, so the older copy is as right as a new
    one. ``None`` (by default) is not kept.
    """
    if seconds is None:
        seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    key = _key("kept", name)
    versions = list(versions)
    found = cache.get_many([key, *versions])
    return _get_or_build(
        key, found.get(key), stamps(versions, found=found), build, keep_if, seconds
    )


def _get_or_build[T](
    key: str,
    entry: Any,
    current: list[str],
    build: Callable[[], T],
    keep_if: Callable[[T], bool],
    seconds: int,
) -> T:
    """The value of ``entry`` (what the cache held under ``key``) when it
    was built under the ``current`` versions' values, else a new one."""
    if entry is not None:
        built_under, fresh_until, value = entry
        if built_under == current and (
            time.time() < fresh_until or not cache.add(f"{key}:rebuilding", 1, 30)
        ):
            return value  # type: ignore[no-any-return]  # the cache holds Any
    value = build()
    if keep_if(value):
        cache.set(key, (current, time.time() + seconds, value), seconds * 2)
    return value


def cache_page(
    versions: Versions,
    *,
    params: Iterable[str] = (),
    reader: Callable[[HttpRequest], tuple[str, list[str]]] | None = None,
    anonymous: bool = True,
) -> Callable[[View], View]:
    """Serve GETs of the page from the shared cache, under ``versions``.

    ``versions`` is a list, or a function of the view's keyword arguments.
    ``params`` names every query parameter the page reads; it sees only
    those, for every reader. Anonymous readers are served (no session, no
    pending messages, no API token) unless ``anonymous`` is false. With
    ``reader``, signed-in members are too: ``reader(request)`` gives the
    member's share of copies and the versions of what their page shows
    besides. Only 200 responses setting no cookie are kept; a kept ETag
    still answers ``If-None-Match`` with a 304.

    A member's copy holds CSRF tokens of the secret in their browser's
    cookie, so it is kept under that secret: another browser of theirs, or
    a new sign-in (which sets a new secret), gets its own. A request
    without the cookie is rendered, since its tokens need the cookie that
    response sets.
    """
    params = tuple(params)

    def decorator(view: View) -> View:
        page = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            _keep_only_params(request, params)
            reading = _reading(request)
            if (
                reading is None
                or (reading == "" and not anonymous)
                or (reading and reader is None)
            ):
                return view(request, *args, **kwargs)
            keys = versions(kwargs) if callable(versions) else [*versions]
            share = ""
            if reader is not None and reading:
                share, own = reader(request)
                keys = list(dict.fromkeys([*keys, *own]))
            response = _cached_response(
                request,
                page,
                _key("page", share, reading),
                keys,
                partial(view, request, *args, **kwargs),
            )
            if response.status_code == 200 and response.has_header("ETag"):
                # Given a response, Django returns it or a 304/412, never None.
                return (
                    get_conditional_response(
                        request, etag=response["ETag"], response=response
                    )
                    or response
                )
            return response

        return wrapper

    return decorator


def member_copy(request: HttpRequest) -> tuple[str, list[str]]:
    """A ``reader`` for pages whose member's part moves only with the page's
    own versions (what they did to a tool bumps the tool's): one copy per
    member, under no versions besides."""
    return str(request.user.pk), []


def _reading(request: HttpRequest) -> str | None:
    """Who reads, for the page cache: "" for an anonymous reader, a
    member's CSRF secret (their copies hold tokens of it), or None when
    the page cannot come from the cache (not a GET, pending messages, an
    API token, a member's browser without the CSRF cookie yet)."""
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method not in {"GET", "HEAD"}
        or "messages" in request.COOKIES  # the page would show them
        or "authorization" in request.headers  # an API token, checked and counted
    ):
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return ""
    if not request.user.is_authenticated:
        return None
    return request.META.get("CSRF_COOKIE") or None


def _keep_only_params(request: HttpRequest, params: Iterable[str]) -> None:
    """Drop the query parameters the page does not read, so the page, its
    templates and its absolute address (the login link's ``next``) see the
    query string the key holds. Names sorted, each name's values in the
    order sent (``GET.get`` reads the last)."""
    query = urlencode(
        [
            (name, value)
            for name in sorted(set(params))
            for value in request.GET.getlist(name)
        ]
    )
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)


# The status, the headers, the page, and the page gzipped (None if that is
# no shorter).
Kept = tuple[int, list[tuple[str, str]], bytes, bytes | None]


# The headers each page's responses vary on, as this process last read them
# (see _Along): the same for every address and reader of a page.
_vary_read: dict[str, list[str]] = {}


class _Along:
    """The cache as ``get_cache_key`` asks it for a page's header list.

    The page's versions come back in the same round trip, and so does the
    entry itself at the key it has if its header list is the one last read
    for this page: a hit costs one round trip, not two.
    """

    def __init__(
        self, page: str, request: HttpRequest, prefix: str, versions: list[str]
    ) -> None:
        self.page = page
        self.versions = versions
        self.found: dict[str, Any] = {}
        self.guess: str | None = None
        if (vary := _vary_read.get(page)) is not None:
            held = cast(BaseCache, _Holding(vary))
            self.guess = _key("page", str(get_cache_key(request, prefix, cache=held)))

    def get(self, key: str, default: Any = None) -> Any:
        wanted = [key, *self.versions]
        if self.guess is not None:
            wanted.append(self.guess)
        self.found = cache.get_many(wanted)
        if (vary := self.found.get(key)) is not None:
            _vary_read[self.page] = vary
        return self.found.get(key, default)

    def entry(self, key: str) -> Any:
        """The entry under ``key``, read along if it was the guess."""
        return self.found.get(key) if key == self.guess else cache.get(key)


class _Holding:
    """A cache holding one header list, to build a page's key from it."""

    def __init__(self, vary: list[str]) -> None:
        self.vary = vary

    def get(self, key: str, default: Any = None) -> list[str]:
        return self.vary


def _cached_response(
    request: HttpRequest,
    page: str,
    prefix: str,
    versions: list[str],
    view: Callable[[], HttpResponse],
) -> HttpResponse:
    built: list[HttpResponse] = []

    def build() -> Kept | HttpResponse:
        # Rendered as if nothing were cached: no 304 for the kept copy.
        etag = request.META.pop("HTTP_IF_NONE_MATCH", None)
        try:
            response = view()
        finally:
            if etag is not None:
                request.META["HTTP_IF_NONE_MATCH"] = etag
        if hasattr(response, "render") and not response.is_rendered:  # type: ignore[attr-defined]  # a TemplateResponse, as hasattr checks
            response.render()
        # A fragment, a history restore and the whole page are three entries.
        patch_vary_headers(response, FRAGMENT_HEADERS)
        built.append(response)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response  # answered, not kept
        headers = [
            (k, v) for k, v in response.headers.items() if k.lower() != "content-length"
        ]
        content = response.content
        return (200, headers, content, _gzipped(content))

    def keep_if(value: Kept | HttpResponse) -> bool:
        return isinstance(value, tuple)

    seconds = settings.PAGE_CACHE_SECONDS
    # Django's keys: the absolute address and the values of the headers the
    # response varies on, learnt from the first response; then the values of
    # the versions, read before the page is rendered.
    along = _Along(page, request, prefix, versions)
    learnt = get_cache_key(request, prefix, "GET", cache=cast(BaseCache, along))
    current = stamps(versions, found=along.found)
    if learnt is None:
        value = build()
        if keep_if(value):
            learnt = learn_cache_key(
                request, built[0], seconds * 2, prefix, cache=cache
            )
            if request.method != "GET":
                # Learnt keys hold the request's method; a HEAD (a monitor)
                # fills the entry GETs read: the page is rendered either way.
                learnt = get_cache_key(request, prefix, "GET", cache=cache)
            key = _key("page", str(learnt))
            cache.set(key, (current, time.time() + seconds, value), seconds * 2)
    else:
        key = _key("page", learnt)
        value = _get_or_build(key, along.entry(key), current, build, keep_if, seconds)
    if isinstance(value, HttpResponse):
        response = value
    else:
        status, headers, content, gzipped = value
        if not re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
            gzipped = None
        response = HttpResponse(
            content if gzipped is None else _padded(gzipped), status=status
        )
        for name, header in headers:
            response.headers[name] = header
        if gzipped is not None:
            # As GZipMiddleware sends it (it leaves an encoded page alone).
            response.headers["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ["Accept-Encoding"])
            if response.get("ETag", "").startswith('"'):
                response.headers["ETag"] = "W/" + response["ETag"]
    # Whether the cache answered: what the benchmark's hit rate counts.
    response.headers["X-Cache"] = "miss" if built else "hit"
    return response


def _gzipped(content: bytes) -> bytes | None:
    """The page gzipped as GZipMiddleware does it, if that is shorter.

    Performance: the middleware compressed a kept page again on every hit
    (every browser and crawler asks for gzip), which cost about as much as
    the rest of the hit; it is compressed once, when it is kept.
    """
    if len(content) < 200:
        return None
    gzipped = compress_string(content)
    return gzipped if len(gzipped) < len(content) else None


def _padded(gzipped: bytes) -> bytes:
    """The gzipped page with a file name of random length in its header, new
    for each response, as GZipMiddleware pads every response: a member's
    copy holds CSRF tokens, whose size BREACH would guess at. Compressing the
    same page again gives the same bytes, so this is all the middleware's
    compression adds."""
    header = bytearray(gzipped[:10])
    header[3] |= gzip.FNAME
    name = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\x00"
    return bytes(header) + name + gzipped[10:]
