"""The API's interactive docs, and its answer to an address it does not have."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


@extend_schema(exclude=True)
class NotFound(APIView):
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from rest_framework.exceptions import NotFound as DRFNotFound

        raise DRFNotFound("There is no such address in the API.")


class Docs(SpectacularSwaggerSplitView):
    """The interactive docs: Swagger UI from our own static files.

    The split view loads its set-up script from this same address
    (``?script=``), so the page runs under the site's CSP (script-src
    'self') with no inline script. It is a page, so only GET and HEAD: DRF's
    OPTIONS answer has no template to render it with.
    """

    http_method_names = ["get", "head"]
    # drf-spectacular's own page carries an inline <style>, which the CSP
    # (style-src 'self') blocks; ours takes its rules from a static file.
    template_name = "api/docs.html"
