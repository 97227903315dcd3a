"""Keyset ("cursor") pagination over any stable order.

DRF's CursorPagination keeps only the first ordering field in its cursor
and counts the rest as an offset, which breaks on long runs of equal values
(a catalog where most tools are in no stack yet). Here the cursor holds the
last row's value for every ordering field, the primary key last, so the
next page is one indexed range query however deep it is.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


CURSOR_SALT = "api.cursor"
NOT_OURS = "This cursor is not one we gave out; start again from the first page."


def _encode(values: list[Any], ordering: list[str]) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return signing.dumps(plain, salt=_salt(ordering), compress=True)


def _decode(cursor: str, ordering: list[str]) -> list[Any]:
    """The values a cursor we signed holds; anything else is a 400.

    Cursors are signed so the page query only ever compares columns with
    values they came from: a hand-made cursor could hold a NUL (which
    PostgreSQL refuses in any comparison), a lone surrogate, a string for a
    number or a number too big for the column, each a server error deep in
    the query. The salt names the order, so a cursor from another list or
    sort is refused too instead of being compared with the wrong columns.
    """
    try:
        values = signing.loads(cursor, salt=_salt(ordering))
    except (signing.BadSignature, ValueError) as error:
        raise ValidationError({"cursor": NOT_OURS}) from error
    if not isinstance(values, list) or len(values) != len(ordering):
        raise ValidationError({"cursor": NOT_OURS})
    return [
        datetime.fromisoformat(value["t"]) if isinstance(value, dict) else value
        for value in values
    ]


def _salt(ordering: list[str]) -> str:
    return f"{CURSOR_SALT}:{','.join(ordering)}"


def _after(ordering: list[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (lexicographic)."""
    condition = Q()
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        lookup = "lt" if field.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


class KeysetPagination(BasePagination):
    """``?cursor=`` and ``?page_size=`` (1 to 100); the view sets ``ordering``."""

    def paginate_queryset(  # type: ignore[override]  # keysets need a queryset, never a list
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        ordering = list(getattr(view, "get_ordering", lambda: view.ordering)())
        if ordering[-1].lstrip("-") not in {"pk", "id"}:
            ordering.append("pk")
        self.ordering = ordering
        self.request = request
        self.page_size = self._page_size(request)
        cursor = request.query_params.get("cursor")
        queryset = queryset.order_by(*ordering)
        if cursor:
            queryset = queryset.filter(_after(ordering, _decode(cursor, ordering)))
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.rows = rows[: self.page_size]
        return self.rows

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get("page_size")
        if raw is None:
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError(
                {"page_size": f"A whole number from 1 to {MAX_PAGE_SIZE}."}
            )
        return size

    def next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.rows[-1]
        values = [_value(last, field.lstrip("-")) for field in self.ordering]
        return replace_query_param(
            self.request.build_absolute_uri(), "cursor", _encode(values, self.ordering)
        )

    def get_paginated_response(self, data: Any) -> Response:
        return Response(OrderedDict([("next", self.next_link()), ("results", data)]))

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Where the page starts: the `next` link of the page before.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} ({DEFAULT_PAGE_SIZE} unless given).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]


def _value(row: Any, path: str) -> Any:
    for part in path.split("__"):
        row = getattr(row, part)
    return row
