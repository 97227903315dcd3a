"""``{% tool_logo tool "sm" %}``: what stands for a tool, wherever it is shown.

The one place that decides it: the uploaded logo, else the one shipped with
the catalog, else a mark generated from the slug. Decorative beside the
name, so no alternative text.

Performance: a tag rather than an included template. Lists, cards and the
tool page show dozens of logos, and an include cost about 0.15 ms each (its
context, three branches and the mark's shapes looked up one by one).
"""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from stackshare.pictures import known_size
from tools.models import Tool

register = template.Library()


@register.simple_tag
def tool_logo(tool: Tool, size: str = "md") -> SafeString:
    # Surrounded by white space, as the template it replaces was: beside
    # inline text it reads as a space.
    return mark_safe(f"\n{_markup(tool, known_size(size))}\n")  # noqa: S308 - _markup's result is safe


def _markup(tool: Tool, size: str) -> SafeString:
    classes = f"tool-logo tool-logo--{size}"
    if tool.logo:
        return format_html(
            '<img class="{}" src="{}" alt="" width="40" height="40" loading="lazy">',
            classes,
            tool.logo.url,
        )
    if shipped := tool.shipped_logo:
        return format_html(
            '<img class="{}{}" src="{}" alt="" width="40" height="40" loading="lazy">',
            classes,
            " tool-logo--on-dark" if shipped.on_dark else "",
            static(shipped.static_path),
        )
    # The commonest case, built without format_html: a known size, a hue
    # and the mark's paths need no escaping (about 50 µs a logo less).
    mark = tool.generated_mark
    return mark_safe(  # noqa: S308 - see above
        f'<svg class="{classes} tool-mark tool-mark--c{mark.hue}" viewBox="0 0 40 40" '
        f'width="40" height="40" aria-hidden="true">{mark.paths}</svg>'
    )
