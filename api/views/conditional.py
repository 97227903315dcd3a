"""The base of every read: ETag and Last-Modified on each answer, 304 when nothing changed."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils.http import http_date, quote_etag
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class ConditionalMixin(APIView):
    """ETag and Last-Modified on every successful read, and 304 when unchanged.

    The ETag is a digest of the body, so it changes exactly when the page
    cache would show something new; clients revalidate each time (no-cache),
    which costs one cheap 304 while nothing changed.
    """

    def last_modified(self) -> Any:
        return None

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in {"GET", "HEAD"} or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.blake2b(response.content, digest_size=16).hexdigest())
        response["ETag"] = etag
        modified = self.last_modified()
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        response["Cache-Control"] = (
            "private, no-cache" if request.auth is not None else "public, no-cache"
        )
        response["Vary"] = "Accept, Authorization"
        wanted = request.headers.get("If-None-Match", "")
        if wanted and (
            wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")]
        ):
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
            not_modified = super().finalize_response(
                request, not_modified, *args, **kwargs
            )
            not_modified.render()
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response


class ListView(ConditionalMixin, generics.ListAPIView[Any]):
    ordering: list[str] = []

    def get_ordering(self) -> list[str]:
        return self.ordering


class DetailView(ConditionalMixin, generics.RetrieveAPIView[Any]):
    lookup_field = "slug"

    def last_modified(self) -> Any:
        obj = getattr(self, "_object", None)
        return getattr(obj, "updated_at", None)

    def get_object(self) -> Any:
        self._object = super().get_object()
        return self._object
