"""Anonymous API reads from the shared page cache, under the pages' versions.

The catalog's endpoints are kept under the same version keys as the
catalog's pages (stackshare.caching), so a write that renders a tool page
afresh renders its API answer afresh too. Requests carrying a token are
never answered from the cache: the token must be checked (revoked, expired)
and counted. A kept answer still honours If-None-Match with a 304.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

from stackshare.caching import Versions, cached_response

View = Callable[..., HttpResponse]


def cache_for_anonymous(
    versions: Versions, *, params: Iterable[str]
) -> Callable[[View], View]:
    params = (*params, "format")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                not settings.PAGE_CACHE_SECONDS
                or request.method not in {"GET", "HEAD"}
                or "HTTP_AUTHORIZATION" in request.META
            ):
                return view(request, *args, **kwargs)

            def render() -> HttpResponse:
                # The view answers as if nothing were cached: no 304 for
                # the copy that will be kept for everyone.
                saved = request.META.pop("HTTP_IF_NONE_MATCH", None)
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    if saved is not None:
                        request.META["HTTP_IF_NONE_MATCH"] = saved
                if hasattr(response, "render"):
                    response.render()
                return response

            response = cached_response(request, versions(kwargs), render, params=params)
            if response.status_code == 200 and response.has_header("ETag"):
                return get_conditional_response(
                    request, etag=response["ETag"], response=response
                )
            return response

        return wrapper

    return decorator
