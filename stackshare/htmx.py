"""When to answer htmx with a fragment, and the headers that choice depends on.

A page that htmx pushes to the history answers a history restore
(``request.htmx.history_restore_request``: after "back", when htmx's own
snapshot is gone) with the whole page, although htmx 2 sends HX-Request
with it too; so such pages vary on both headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the annotation: stackshare.types imports accounts.models,
    # which imports stackshare.caching, which imports this module.
    from stackshare.types import HtmxHttpRequest

FRAGMENT_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """True when htmx asks for a part of the page; a history restore gets
    the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
