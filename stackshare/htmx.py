"""The headers an htmx fragment depends on.

Views ask django-htmx's ``request.htmx`` whether to answer with a fragment.
A page that htmx pushes to the history answers a history restore
(``request.htmx.history_restore_request``: after "back", when htmx's own
snapshot is gone) with the whole page, although htmx 2 sends HX-Request
with it too; so such pages vary on both headers.
"""

from __future__ import annotations

FRAGMENT_HEADERS = ("HX-Request", "HX-History-Restore-Request")
