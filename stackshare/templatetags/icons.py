"""The site's line icons: ``{% icon "search" %}``, ``{% icon "alert" "icon--sm" %}``.

A 24px line icon drawn in currentColor, hidden from assistive technology;
the optional second argument adds classes (e.g. "icon--lg").
Performance: a tag and one dictionary lookup, not an included template (a
context and a chain of comparisons for each icon, which pages with many
vote buttons and cards paid per row).
"""

from __future__ import annotations

import functools

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SHAPES: dict[str, str] = {
    "search": '<circle cx="11" cy="11" r="6.5" /><path d="m20 20-4.2-4.2" />',
    "user": '<circle cx="12" cy="8" r="4" /><path d="M4.5 20c1.2-3.6 4-5.5 7.5-5.5s6.3 1.9 7.5 5.5" />',
    "users": '<circle cx="9" cy="8.5" r="3.5" /><path d="M2.5 19.5c.9-3.2 3.3-5 6.5-5s5.6 1.8 6.5 5" /><path d="M15.5 5.2a3.5 3.5 0 0 1 0 6.6M18 14.8c1.7.7 2.9 2.3 3.5 4.7" />',
    "pencil": '<path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16v4Z" /><path d="m13.5 6.5 4 4" />',
    "sliders": '<path d="M4 7h9M19 7h1M4 17h1M11 17h9" /><circle cx="16" cy="7" r="2.5" /><circle cx="8" cy="17" r="2.5" />',
    "key": '<circle cx="8" cy="15" r="4" /><path d="m10.8 12.2 8.7-8.7M16.5 6.5l3 3M14 9l2 2" />',
    "lock": '<rect x="5" y="11" width="14" height="9" rx="2" /><path d="M8 11V8a4 4 0 0 1 8 0v3" />',
    "shield": '<path d="M12 3 5 6v5c0 4.4 3 8.3 7 10 4-1.7 7-5.6 7-10V6l-7-3Z" /><path d="m9 12 2 2 4-4" />',
    "logout": '<path d="M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4" /><path d="m9 8-4 4 4 4M5 12h11" />',
    "chevron-down": '<path d="m6 9 6 6 6-6" />',
    "chevron-left": '<path d="m15 6-6 6 6 6" />',
    "chevron-right": '<path d="m9 6 6 6-6 6" />',
    "arrow-right": '<path d="M5 12h14M13 6l6 6-6 6" />',
    "arrow-left": '<path d="M19 12H5M11 6l-6 6 6 6" />',
    "arrow-up": '<path d="M12 19V5M6 11l6-6 6 6" />',
    "map-pin": '<path d="M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21Z" /><circle cx="12" cy="9.5" r="2.5" />',
    "link": '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" /><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />',
    "code": '<path d="m8 7-5 5 5 5M16 7l5 5-5 5M13.5 4.5l-3 15" />',
    "calendar": '<rect x="4" y="5" width="16" height="15" rx="2" /><path d="M4 10h16M9 3v4M15 3v4" />',
    "layers": '<path d="m12 3 9 4.5-9 4.5-9-4.5L12 3Z" /><path d="m3 12 9 4.5 9-4.5" /><path d="m3 16.5 9 4.5 9-4.5" />',
    "compare": '<rect x="3" y="4" width="7" height="16" rx="1.5" /><rect x="14" y="4" width="7" height="16" rx="1.5" /><path d="M6.5 8.5h0M17.5 8.5h0" />',
    "message": '<path d="M5 5h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-8l-5 4v-4H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Z" /><path d="M8 9.5h8M8 13h5" />',
    "star": '<path d="m12 3.5 2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9L12 3.5Z" />',
    "fork": '<circle cx="6" cy="5" r="2" /><circle cx="18" cy="5" r="2" /><circle cx="12" cy="19" r="2" /><path d="M6 7v1a3 3 0 0 0 3 3h6a3 3 0 0 0 3-3V7M12 11v6" />',
    "plus": '<path d="M12 5v14M5 12h14" />',
    "check": '<path d="m5 12.5 4.5 4.5L19 7.5" />',
    "x": '<path d="M6 6l12 12M18 6 6 18" />',
    "info": '<circle cx="12" cy="12" r="9" /><path d="M12 11v5M12 7.5h.01" />',
    "check-circle": '<circle cx="12" cy="12" r="9" /><path d="m8 12.5 2.8 2.8L16 10" />',
    "alert": '<path d="M10.3 4.6 2.9 17.5A2 2 0 0 0 4.6 20.5h14.8a2 2 0 0 0 1.7-3L13.7 4.6a2 2 0 0 0-3.4 0Z" /><path d="M12 10v4M12 17h.01" />',
    "alert-circle": '<circle cx="12" cy="12" r="9" /><path d="M12 7.5v5M12 16h.01" />',
    "external": '<path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />',
    "mail": '<rect x="3" y="5" width="18" height="14" rx="2" /><path d="m4 7 8 6 8-6" />',
    "inbox": '<path d="M4 13h4l1.5 3h5L16 13h4" /><path d="M6 5h12l2 8v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-5l2-8Z" />',
    "rss": '<path d="M5 5a14 14 0 0 1 14 14M5 11a8 8 0 0 1 8 8" /><circle cx="6" cy="18" r="1.25" />',
    "building": '<rect x="5" y="3" width="14" height="18" rx="1.5" /><path d="M9 7h2M13 7h2M9 11h2M13 11h2M10 21v-4h4v4" />',
    "eye": '<path d="M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12Z" /><circle cx="12" cy="12" r="3" />',
    "heart": '<path d="M12 20s-7.5-4.4-7.5-10A4.3 4.3 0 0 1 12 7.4 4.3 4.3 0 0 1 19.5 10c0 5.6-7.5 10-7.5 10Z" />',
    "home": '<path d="m4 11 8-7 8 7v8a1 1 0 0 1-1 1h-4v-6h-6v6H5a1 1 0 0 1-1-1v-8Z" />',
    "menu": '<path d="M4 7h16M4 12h16M4 17h16" />',
    "upload": '<path d="M12 15V4M7 9l5-5 5 5M5 15v3a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-3" />',
    "trash": '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />',
    "sparkle": '<path d="M12 3c.6 4.6 2.4 6.4 7 7-4.6.6-6.4 2.4-7 7-.6-4.6-2.4-6.4-7-7 4.6-.6 6.4-2.4 7-7Z" /><path d="M19 16c.2 1.6.9 2.3 2.5 2.5-1.6.2-2.3.9-2.5 2.5-.2-1.6-.9-2.3-2.5-2.5 1.6-.2 2.3-.9 2.5-2.5Z" />',
}


@register.simple_tag
def icon(name: str, icon_class: str = "") -> SafeString:
    """The icon called ``name``; an unknown name draws an empty icon.

    Surrounded by white space, as the template it replaces was: beside
    inline text it reads as a space."""
    return _icon(str(name), str(icon_class))


@functools.lru_cache(maxsize=256)
def _icon(name: str, icon_class: str) -> SafeString:
    # Built once per name and classes: a stack page draws forty icons, and
    # format_html cost about 13 µs each.
    return format_html(
        '\n<svg class="{}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{}</svg>\n',
        f"icon {icon_class}" if icon_class else "icon",
        mark_safe(SHAPES.get(name, "")),  # noqa: S308 (our own constant markup)
    )
