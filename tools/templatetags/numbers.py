"""Short number formats for tight spaces such as list rows and buttons."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def compact(value: int | None) -> str:
    """1234 -> "1.2k", 70512 -> "70.5k", 2300000 -> "2.3M"; small numbers as they are."""
    if value is None:
        return ""
    number = int(value)
    for limit, suffix in ((1_000_000, "M"), (1_000, "k")):
        # 999,999 rounds to "1000.0k"; it reads better one unit up.
        if abs(number) >= limit * 0.99995:
            short = f"{number / limit:.1f}".removesuffix(".0")
            return f"{short}{suffix}"
    return str(number)
