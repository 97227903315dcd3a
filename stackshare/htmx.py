"""What an htmx request asks for, decided in one place (django-htmx's
``request.htmx``, set by its middleware)."""

from __future__ import annotations

from django.http import HttpRequest

# Pages that answer htmx with a fragment vary on both: a history restore
# (after "back", when htmx's own snapshot is gone) sends HX-Request too, yet
# wants the whole page.
FRAGMENT_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment: not a history restore."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request
