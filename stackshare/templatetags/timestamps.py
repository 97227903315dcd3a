"""Times for machines: the ``datetime`` attribute of ``<time>`` elements."""

from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()


@register.filter
def machine_time(value: datetime | None) -> str:
    """ISO 8601 to the second, as HTML's ``datetime`` attribute allows
    (Django's ``date:"c"`` adds microseconds, which HTML does not)."""
    if value is None:
        return ""
    return value.replace(microsecond=0).isoformat()
