"""Back-office behaviour shared by several apps' admins."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest


class DeletesThroughServices:
    """Rows that an app's service deletes, never the admin directly.

    Deleting a stack, a company, a stack entry, a membership or a synonym
    moves counters, history and search indexes, so the delete page and
    Django's own "Delete selected" action (with its confirmation page) both
    end in :meth:`delete_through_services`, which each admin writes with its
    app's service.
    """

    def delete_through_services(self, request: HttpRequest, objects: list[Any]) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self.delete_through_services(request, [obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self.delete_through_services(request, list(queryset))
