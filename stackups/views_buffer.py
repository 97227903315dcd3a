"""Count stackup views without a database write on every page view.

Each process adds views to an in-memory counter and writes what it holds in
one UPDATE once FLUSH_SECONDS have passed since its last write (and when it
exits). A stackup page therefore costs one query per process every half
minute instead of one per view. A process that dies abruptly loses at most
that half minute of its own counts, which "most viewed" can afford.
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

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_pending: Counter[int] = Counter()
_last_flush = time.monotonic()


def record_view(stackup_id: int) -> None:
    """Count one view; writes the batch when it is due."""
    with _lock:
        _pending[stackup_id] += 1
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
        Stackup.objects.filter(pk__in=batch).update(
            view_count=F("view_count")
            + Case(*(When(pk=pk, then=Value(n)) for pk, n in batch.items()), default=0)
        )
    except DatabaseError:
        with _lock:
            _pending.update(batch)
        raise
    return len(batch)


def pending() -> dict[int, int]:
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
