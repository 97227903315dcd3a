"""Whole-page caching for anonymous readers, with versioned invalidation.

Anonymous readers (no session, no pending messages) of the catalog pages get
a page rendered once and kept in the shared cache (Redis in production) for
``PAGE_CACHE_SECONDS``. The cache key holds the current value of the
version keys the page depends on, and the services that change what a page
shows bump those versions after their transaction commits, so a vote, an
edit or a moderation action shows at once, on every app server:

- ``lists``: the catalog, search, autocomplete and home pages; bumped by
  anything that changes a tool's counters, status or place.
- ``category:<slug>``: one category page; bumped with ``lists`` for the
  categories above the tools that changed, and by its own follows.
- ``structure``: every cached page; bumped by moderation and back-office
  edits (approval, merge, deprecation, categories, aliases, alternatives).
- ``tool:<slug>``: that tool's own pages; bumped by its follows, votes, pros
  and cons.
- ``company:<slug>`` and ``decision:<pk>`` (:func:`version_key`): a company's
  page and a post's page; bumped by the stacks and decisions services.

Apps whose writes change a number the catalog shows (stacks moving
``Tool.stack_count``, say) call :func:`catalog_changed` in their services;
other pages' versions move with :func:`pages_changed_on_commit`. Numbers of
*other* things a page shows in passing (a tool page's alternatives, the
tools' order on a company page, view counters) may lag by up to
``PAGE_CACHE_SECONDS``.

The CSRF token differs per reader, so cached pages are rendered with a
placeholder (see :func:`csrf_placeholder`) that each response replaces with
the reader's own token.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import partial, wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import get_cache_key, learn_cache_key, patch_vary_headers

from stackshare.htmx import FRAGMENT_HEADERS

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet

# Every version key is ``v:<kind>:<ident>`` (:func:`version_key`).
LISTS = "v:lists:catalog"
STRUCTURE = "v:structure:all"
CSRF_PLACEHOLDER = "csrf-placeholder-7c1f0b9e"
_RENDERING_FOR_CACHE = "_renders_for_page_cache"

View = Callable[..., HttpResponse]
# A kept page: status, headers and body.
Kept = tuple[int, list[tuple[str, str]], bytes]
Versions = Callable[[dict[str, Any]], list[str]]


def tool_version(slug: str) -> str:
    return version_key("tool", slug)


def version_key(kind: str, ident: object) -> str:
    """The version of one thing's page: ``version_key("company", slug)``."""
    return f"v:{kind}:{ident}"


def pages_changed(keys: Iterable[str]) -> None:
    """Bump these versions; cached pages built on them are skipped."""
    if keys := list(keys):
        cache.set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)


def pages_changed_on_commit(keys: Iterable[str]) -> None:
    """:func:`pages_changed` once the current transaction commits."""
    transaction.on_commit(partial(pages_changed, list(keys)))


def category_version(slug: str) -> str:
    """The version of one category page (at any level of the catalog)."""
    return version_key("category", slug)


def categories_of(tool_slugs: list[str]) -> set[str]:
    """The slugs of the catalog nodes these tools are listed under, at every level."""
    from tools.models import Tool

    rows = Tool.objects.filter(slug__in=tool_slugs).values_list(
        "function__slug", "function__parent__slug", "function__parent__parent__slug"
    )
    return {slug for row in rows for slug in row if slug}


def catalog_changed(
    *,
    tool_slugs: Iterable[str] = (),
    lists: bool = True,
    structure: bool = False,
    categories: Iterable[str] = (),
) -> None:
    """Bump the versions of the catalog's pages that changed.

    ``lists`` moves the catalog-wide lists (catalog, search, home) and the
    category pages listing ``tool_slugs`` (every level above each tool), so
    a follow expires three category pages, not all of them. ``categories``
    names category pages that changed on their own (their follower count).
    """
    tool_slugs = list(tool_slugs)
    keys = [tool_version(slug) for slug in tool_slugs]
    keys += [category_version(slug) for slug in categories]
    if lists or structure:
        keys.append(LISTS)
    if lists and tool_slugs:
        keys += [category_version(slug) for slug in categories_of(tool_slugs)]
    if structure:
        keys.append(STRUCTURE)
    pages_changed(keys)


def catalog_changed_on_commit(
    *,
    tool_slugs: Iterable[str] = (),
    lists: bool = True,
    structure: bool = False,
    categories: Iterable[str] = (),
) -> None:
    """:func:`catalog_changed` once the current transaction commits."""
    transaction.on_commit(
        partial(
            catalog_changed,
            tool_slugs=list(tool_slugs),
            lists=lists,
            structure=structure,
            categories=list(categories),
        )
    )


def lists_versions(kwargs: dict[str, Any]) -> list[str]:
    return [STRUCTURE, LISTS]


def category_versions(kwargs: dict[str, Any]) -> list[str]:
    return [STRUCTURE, category_version(kwargs["slug"])]


def tool_versions(kwargs: dict[str, Any]) -> list[str]:
    return [STRUCTURE, tool_version(kwargs["slug"])]


def cache_page_for_anonymous(
    versions: Versions, *, params: Iterable[str]
) -> Callable[[View], View]:
    """Serve anonymous GETs from the shared cache, keyed by ``versions``.

    ``params`` names every query parameter the page reads. The page sees
    only those (see :func:`keep_only_params`), for every reader, so the key
    holds all that the page depends on while ``?utm_source=…`` and the
    order of parameters make no new entry.
    """
    params = tuple(params)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            keep_only_params(request, params)
            if not settings.PAGE_CACHE_SECONDS or not is_anonymous_reader(request):
                return view(request, *args, **kwargs)
            return cached_response(
                request,
                versions(kwargs),
                lambda: view(request, *args, **kwargs),
                params=params,
            )

        return wrapper

    return decorator


def query_of(request: HttpRequest, params: Iterable[str]) -> str:
    """The query string of ``params`` alone: names sorted, each name's
    values in the order sent (the last one is what ``GET.get`` reads)."""
    return urlencode(
        [
            (name, value)
            for name in sorted(set(params))
            for value in request.GET.getlist(name)
        ]
    )


def keep_only_params(request: HttpRequest, params: Iterable[str]) -> None:
    """Drop the query parameters a page does not read from the request.

    The page, its templates and its absolute address (the login link's
    ``next``, say) then see the same query string the cache key holds, so
    a page rendered for ``?utm_source=x`` is the plain page and can be
    served as such.
    """
    query = query_of(request, params)
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)  # type: ignore[assignment]


def cached_response(
    request: HttpRequest,
    version_keys: list[str],
    render: Callable[[], HttpResponse],
    *,
    params: Iterable[str],
    reader: str = "",
) -> HttpResponse:
    """``render()``'s response, kept in the shared cache under ``version_keys``.

    Pages are rendered with a placeholder for the CSRF token, which each
    response replaces with the reader's own. ``params`` names the query
    parameters the page reads; it sees no others. ``reader`` keeps one page
    per reader, for pages that show a signed-in member's own state; whatever
    that state depends on must be among the versions or in ``reader``.
    Only 200 responses setting no cookie are kept.
    """
    keep_only_params(request, params)
    prefix = page_key_prefix(version_keys, reader=reader)
    built: list[HttpResponse] = []

    def build() -> Kept | HttpResponse:
        setattr(request, _RENDERING_FOR_CACHE, True)
        response = render()
        # A fragment, a history restore and the whole page are three entries.
        patch_vary_headers(response, FRAGMENT_HEADERS)
        built.append(response)
        if response.status_code != 200 or response.streaming or response.cookies:
            return response  # answered, not kept
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() != "content-length"
        ]
        return (200, headers, response.content)

    def kept(value: Kept | HttpResponse) -> bool:
        return isinstance(value, tuple)

    # Django's own keys: the absolute address and the values of the headers
    # the page's response varies on, learnt from the first response.
    key = get_cache_key(request, prefix, "GET", cache=cache)
    if key is None:
        value = build()
        if kept(value):
            learn_cache_key(
                request, built[0], settings.PAGE_CACHE_SECONDS * 2, prefix, cache=cache
            )
            # Learnt keys hold the request's method; a HEAD (a monitor) fills
            # the entry that GETs read, as the whole page is rendered either way.
            key = get_cache_key(request, prefix, "GET", cache=cache)
            store(key, value)
    else:
        value = keep(key, build, keep_if=kept)
    if isinstance(value, HttpResponse):
        response = value
    else:
        status, headers, content = value
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
    # Whether the cache answered: what the benchmark's hit rate counts.
    response.headers["X-Cache"] = "miss" if built else "hit"
    return with_csrf_token(request, response)


def keep[T](
    key: str,
    build: Callable[[], T],
    *,
    keep_if: Callable[[T], bool],
    seconds: int | None = None,
) -> T:
    """``build()``'s result, kept under ``key`` for ``seconds``
    (``PAGE_CACHE_SECONDS`` unless told).

    Entries are stored twice as long as that. Once an entry is older, the
    first request to see it builds it again while the others keep getting
    it, so a busy page that expires is not rendered by every worker at once.
    Entries are only ever read under the same versions, so the older copy is
    as right as a new one; only what a page shows in passing (relative times,
    view counters) may be older by as much again.
    """
    if seconds is None:
        seconds = settings.PAGE_CACHE_SECONDS
    entry = cache.get(key)
    if entry is not None:
        fresh_until, value = entry
        if time.time() < fresh_until or not cache.add(f"{key}:rebuilding", 1, 30):
            return value  # type: ignore[no-any-return]
    value = build()
    if keep_if(value):
        store(key, value, seconds)
    return value


def store(key: str, value: object, seconds: int | None = None) -> None:
    """Keep ``value`` as :func:`keep` reads it: fresh for ``seconds``, stored twice as long."""
    if seconds is None:
        seconds = settings.PAGE_CACHE_SECONDS
    cache.set(key, (time.time() + seconds, value), seconds * 2)


def is_anonymous_reader(request: HttpRequest) -> bool:
    """A GET from someone with no session and no pending messages; no query needed."""
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def member_page_cacheable(request: HttpRequest) -> bool:
    """Whether a signed-in member's page may come from the cache: a GET with
    no pending messages (the page would have shown them)."""
    return (
        bool(settings.PAGE_CACHE_SECONDS)
        and request.method in {"GET", "HEAD"}
        and "messages" not in request.COOKIES
    )


def page_key_prefix(version_keys: list[str], *, reader: str = "") -> str:
    """What a cached page's keys start with: the release, the reader's share
    and the current versions. Django adds the address and the varied headers."""
    parts = [settings.PAGE_CACHE_RELEASE, reader, *version_stamps(version_keys)]
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
    return f"page:{digest}"


def version_stamps(version_keys: list[str]) -> list[str]:
    """The current value of each version key, in one round trip when all exist."""
    found = cache.get_many(version_keys)
    missing = [key for key in version_keys if key not in found]
    if missing:
        # A version never bumped (or evicted) starts anew, so a page cached
        # under an older value of it can never be served again.
        stamp = time.time_ns()
        for key in missing:
            cache.add(key, stamp, timeout=None)
        found.update(cache.get_many(missing))
    return [str(found.get(key, "")) for key in version_keys]


def remember[T](
    name: str,
    version_keys: list[str],
    build: Callable[[], T | None],
    *,
    stamps: list[str] | None = None,
) -> T | None:
    """``build()``'s result, kept like a cached page (for every reader).

    For what a page shows to everybody, signed in or not; ``None`` results
    are not kept. ``stamps`` are the versions' current values when the
    caller has read them already.
    """
    seconds = settings.PAGE_CACHE_SECONDS
    if not seconds:
        return build()
    if stamps is None:
        stamps = version_stamps(version_keys)
    parts = [settings.PAGE_CACHE_RELEASE, name, *stamps]
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
    return keep(f"data:{digest}", build, keep_if=lambda value: value is not None)


def render_with_fragments(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render a page whose cached fragments may hold forms.

    It is rendered with the CSRF placeholder, as whole cached pages are, and
    the reader's own token goes in on the way out: a fragment kept for every
    reader never carries one reader's token.
    """
    setattr(request, _RENDERING_FOR_CACHE, True)
    response = render(request, template_name, context, status=status)
    return with_csrf_token(request, response)


def with_csrf_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put the reader's own CSRF token where the cached page has the placeholder."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in response.content:
        response.content = response.content.replace(
            placeholder, get_token(request).encode()
        )
    return response


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: a page rendered for the cache gets a placeholder token.

    Listed after Django's own csrf processor, so it wins for those pages only.
    """
    if getattr(request, _RENDERING_FOR_CACHE, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


class RefreshesCachedPages:
    """Admin mixin: back-office edits show at once on the pages cached for
    anonymous readers.

    Saving (with inlines) and deleting bump every cached page's version
    after the commit (see stackshare.caching); edits here are rare.
    """

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm,
        formsets: list[Any],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        catalog_changed_on_commit(structure=True)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        catalog_changed_on_commit(structure=True)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        catalog_changed_on_commit(structure=True)
