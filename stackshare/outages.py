"""A database outage answers 503 "try again shortly", not a 500 or a hung worker.

The pool bounds how long a request waits for a connection (settings,
``DATABASE_WAIT_SECONDS``); what it raises then, or what a query on a
connection the server dropped raises, reaches the reader as a short page
with ``Retry-After``. :class:`DatabaseOutageMiddleware` handles what views
raise; :func:`server_error` (``handler500``) what other middleware raises,
such as a session saved after the view.

The checks behind ``/healthz`` live here too: each is bounded, so the health
check answers within a second whatever is down or hung.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.deprecation import MiddlewareMixin
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# /healthz answers within a second, network included: both checks run at once
# and share this budget.
HEALTH_SECONDS = 0.7


def outage_errors() -> tuple[type[BaseException], ...]:
    """What a database that is down, restarting or out of connections raises."""
    errors: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # SQLite-only installs
        return errors
    return (*errors, PoolTimeout)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, outage_errors())


def unavailable_response() -> HttpResponse:
    """The 503 page; it reads nothing from the database or the session."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware(MiddlewareMixin):
    """Turn a view's database outage error into the 503 page."""

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        # One line, no traceback: during an outage every request lands here.
        logger.warning(
            "Database unavailable for %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            exception,
        )
        return unavailable_response()


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 page when the error was a database outage."""
    if is_outage(sys.exc_info()[1]):
        return unavailable_response()
    return django_server_error(request)


def check_health(*, seconds: float = HEALTH_SECONDS) -> tuple[bool, bool]:
    """Whether the database and the shared cache answer, within ``seconds``.

    The database is asked first, in a thread of its own where it can be (see
    :func:`ask_database`), while the cache is asked here.
    """
    deadline = time.monotonic() + seconds
    database_answered = ask_database(seconds=seconds - 0.1)
    cache_ok = cache_answers()
    return database_answered(max(0.0, deadline - time.monotonic())), cache_ok


def ask_database(*, seconds: float) -> Callable[[float], bool]:
    """Start ``SELECT 1``; the returned function waits for the answer.

    On PostgreSQL the query borrows a connection from the site's pool, waiting
    at most ``seconds`` for one, in a thread of its own: a server that stopped
    answering mid-query holds that thread, not the health check, and the
    ``statement_timeout`` gives the connection back once the server answers
    again. Elsewhere (SQLite) it runs at once, on this thread's connection.
    """
    pool = connection.pool if connection.vendor == "postgresql" else None  # type: ignore[attr-defined]  # only PostgreSQL's wrapper has a pool
    if pool is None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            return lambda wait: False
        return lambda wait: True
    answers: list[bool] = []
    thread = threading.Thread(
        target=lambda: answers.append(pool_answers(pool, seconds=seconds)),
        name="healthz-database",
        daemon=True,
    )
    thread.start()

    def answered(wait: float) -> bool:
        thread.join(wait)
        return answers == [True]

    return answered


def pool_answers(pool: Any, *, seconds: float) -> bool:
    import psycopg
    from psycopg_pool import PoolTimeout

    milliseconds = int(seconds * 1000)
    try:
        pool.open()
        with pool.connection(timeout=seconds) as conn, conn.transaction():
            conn.execute(f"SET LOCAL statement_timeout = {milliseconds}")
            conn.execute("SELECT 1").fetchone()
    except (psycopg.Error, PoolTimeout):
        return False
    return True


def cache_answers() -> bool:
    """Whether the shared cache answers (Redis: a ping, bounded by its socket
    timeouts); a process-local cache always does."""
    is_available = getattr(cache, "is_available", None)
    return True if is_available is None else bool(is_available())
