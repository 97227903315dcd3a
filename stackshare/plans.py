"""Queries PostgreSQL plans once: the pages that look things up by their keys.

Planning took PostgreSQL longer than running a page's short queries (0.2 to
0.8 ms against 0.1 to 0.2 at scale 1). Queries are bound on the server (see
settings), and in a view marked :func:`keeps_plans` a query the connection
has run twice is prepared: after a few runs PostgreSQL keeps one plan for it
whenever that plan is no costlier than one made for the values.

Only pages whose queries walk keys (a tool, a stackup, a company, a stack, a
post, a member) are marked, since their best plan does not depend on the
values. A search's does: prepared, the members matching ``%kubernetes%`` were
looked for by walking every member in name order until five matched (144 ms
where a plan made for the word took 1 ms).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

from stackshare.caching import View

# Runs of the same query on one connection before it is prepared.
PREPARE_AFTER = 2


def keeps_plans(view: View) -> View:
    """Let PostgreSQL prepare the queries this view repeats across requests.

    Placed under ``cache_page``, it costs a cache hit nothing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if connection.vendor != "postgresql":
            return view(request, *args, **kwargs)
        connection.ensure_connection()
        psycopg_connection = connection.connection
        psycopg_connection.prepare_threshold = PREPARE_AFTER
        try:
            return view(request, *args, **kwargs)
        finally:
            # The pool lends this connection to any view next.
            psycopg_connection.prepare_threshold = None

    return wrapper
