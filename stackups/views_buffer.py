"""Count stackup views without a database write on every page view.

Each process adds views to an in-memory counter, by address, and writes
what it holds in one UPDATE once FLUSH_SECONDS have passed since its last
write (and when it exits). A stackup page therefore costs one query per
process every half minute instead of one per view. A process that dies
abruptly loses at most that half minute of its own counts, which "most
viewed" can afford.

A comparison is an address before it is a row: reading one writes nothing
(a crawler reading every pair of tools once grows no table). Its row is
made at a flush that finds it read at least NEW_ROW_VIEWS times since the
last one, and its views count from then on.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter

from django.db import DatabaseError
from django.db.models import Case, F, Value, When

from stackups.models import Stackup

FLUSH_SECONDS = 30.0
NEW_ROW_VIEWS = 2

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: Counter[str] = Counter()
_last_flush = time.monotonic()


def record_view(slug: str) -> None:
    """Count one view of the comparison at this canonical address; writes
    the batch when it is due."""
    with _lock:
        _pending[slug] += 1
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS
    if due:
        flush()


def flush() -> int:
    """Write the pending counts in one UPDATE; returns how many stackups moved.

    If the write fails, the counts go back into the buffer for the next try.
    """
    global _last_flush
    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    try:
        updated = Stackup.objects.filter(slug__in=batch).update(
            view_count=F("view_count")
            + Case(*(When(slug=slug, then=Value(n)) for slug, n in batch.items()))
        )
        if updated < len(batch):
            updated += _first_rows(batch)
    except DatabaseError:
        with _lock:
            _pending.update(batch)
        raise
    return updated


def _first_rows(batch: dict[str, int]) -> int:
    """Rows for the comparisons read often enough to have one, with their views."""
    from stackups.services import UnknownStackupError, resolve, stackup_for

    existing = set(
        Stackup.objects.filter(slug__in=batch).values_list("slug", flat=True)
    )
    made = 0
    for slug, views in batch.items():
        if slug in existing or views < NEW_ROW_VIEWS:
            continue
        try:
            stackup = stackup_for(resolve(slug))
        except UnknownStackupError:  # a tool went since it was read
            continue
        Stackup.objects.filter(pk=stackup.pk).update(view_count=F("view_count") + views)
        made += 1
    return made


def pending() -> dict[str, int]:
    with _lock:
        return dict(_pending)


def discard() -> None:
    """Forget unwritten counts (tests start from a clean slate)."""
    with _lock:
        _pending.clear()


@atexit.register
def _flush_at_exit() -> None:
    if not pending():
        return
    try:
        flush()
    except DatabaseError:  # the database may be gone before the process
        logger.warning(
            "Lost %d unwritten stackup views at exit", sum(pending().values())
        )
