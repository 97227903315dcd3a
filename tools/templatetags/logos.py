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
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tools.models import Tool

register = template.Library()

SOFT = mark_safe(' class="tool-mark__soft"')


@register.simple_tag
def tool_logo(tool: Tool, size: str = "md") -> SafeString:
    # Surrounded by white space, as the template it replaces was: beside
    # inline text it reads as a space.
    return format_html("\n{}\n", _markup(tool, size))


def _markup(tool: Tool, size: str) -> SafeString:
    classes = f"tool-logo tool-logo--{size or 'md'}"
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
    mark = tool.generated_mark
    shapes = format_html_join(
        "",
        '<path d="{}"{}/>',
        ((shape.d, SOFT if shape.soft else "") for shape in mark.shapes),
    )
    return format_html(
        '<svg class="{} tool-mark tool-mark--c{}" viewBox="0 0 40 40" width="40" '
        'height="40" aria-hidden="true">{}</svg>',
        classes,
        mark.hue,
        shapes,
    )
