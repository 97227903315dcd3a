"""One way to turn something on or off for the signed-in reader: follow,
mute and vote buttons, on tools, categories, companies, members, posts and
pros and cons.

Each button is a small form that posts the state it asks for ("on" or
"off"), so a double submit cannot flip it back. With htmx the button is
swapped for its new self; without, the reader goes back to the page. The
services are idempotent and refuse what may not be done (one's own post,
oneself), which the reader is told with a 400.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.services import SuspendedError
from stackshare import writes
from stackshare.types import HtmxHttpRequest

if TYPE_CHECKING:
    from django.shortcuts import SupportsGetAbsoluteUrl


def wants_on(request: HttpRequest) -> bool:
    """The state the button asks for; "on" unless it says "off"."""
    return request.POST.get("state", "on") != "off"


def toggle(
    request: HtmxHttpRequest,
    *,
    turn_on: Callable[[], object],
    turn_off: Callable[[], object],
    fragment: str,
    context: Callable[[bool], Mapping[str, Any]],
    back: str | SupportsGetAbsoluteUrl,
    refused: str = "That cannot be done",
    said: Callable[[bool], str] | None = None,
) -> HttpResponse:
    """Call ``turn_on`` or ``turn_off`` as the button asks, then answer.

    ``context(is_on)`` is built after the write (so counters can be read
    afresh) for the ``fragment`` htmx swaps in; a plain form post is
    redirected to ``back``, with the message ``said(is_on)`` if given.
    A refusal from the service is a 400 page titled ``refused``.
    """
    is_on = wants_on(request)
    try:
        (turn_on if is_on else turn_off)()
    except SuspendedError:
        return writes.suspended(request)
    except ValidationError as refusal:
        return writes.refuse(
            request, status=400, title=refused, text=" ".join(refusal.messages)
        )
    if request.htmx:
        return render(request, fragment, context(is_on))
    if said is not None:
        messages.success(request, said(is_on))
    return redirect(back)


def reader_state(target: Model, **rows: QuerySet[Any]) -> dict[str, bool]:
    """Whether the reader has each kind of row about ``target``, in one
    query (one EXISTS per name).

    Each of ``rows`` is the reader's rows of one kind, pointing at the
    target through ``OuterRef("pk")``; for example
    ``is_muted=ToolMute.objects.filter(user=user, tool=OuterRef("pk"))``.
    """
    values = (
        type(target)
        ._default_manager.filter(pk=target.pk)
        .annotate(**{name: Exists(mine) for name, mine in rows.items()})
        .values_list(*rows)
        .get()
    )
    return dict(zip(rows, values, strict=True))
