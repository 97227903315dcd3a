"""Writes of the site search: counting the queries that found nothing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from search.models import ZeroResultQuery
from tools.keys import fold
from tools.models import MAX_QUERY_LENGTH


def zero_result_key(query: str) -> str:
    """How a query is counted: folded case and accents, single spaces."""
    return " ".join(fold(query).split())[:MAX_QUERY_LENGTH]


def record_zero_result(*, query: str) -> None:
    """Count one more search for ``query`` that found nothing.

    One UPDATE when the query is known, atomic by itself, so no transaction
    around it; two searches at once for a new query do not lose a count (the
    second insert fails and updates instead).
    """
    key = zero_result_key(query)
    if not key:
        return
    now = timezone.now()
    known = ZeroResultQuery.objects.filter(query=key)
    if known.update(count=F("count") + 1, last_seen_at=now):
        return
    try:
        with transaction.atomic():
            ZeroResultQuery.objects.create(
                query=key, first_seen_at=now, last_seen_at=now
            )
    except IntegrityError:
        known.update(count=F("count") + 1, last_seen_at=now)
