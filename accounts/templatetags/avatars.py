"""``{% avatar member "sm" %}``: a member's picture, else their initials on a
colour picked from the user name. Sizes: sm (24px), md (40px), lg (64px),
xl (120px).

Performance: a tag rather than an included template, as for tool logos
(``tools.templatetags.logos``): a list of posts or comments shows one per
row, and the include cost about 85 µs each.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import User
from stackshare.pictures import known_size

register = template.Library()


@register.simple_tag
def avatar(person: User | None, size: str = "md") -> SafeString:
    # Surrounded by white space, as the template it replaces was: beside
    # inline text it reads as a space.
    size = known_size(size)
    if person is None:
        return format_html("\n")
    if person.avatar:
        return format_html(
            '\n<img class="avatar avatar--{}" src="{}" alt="">\n',
            size,
            person.avatar.url,
        )
    return format_html(
        '\n<span class="avatar avatar--{} avatar--c{}" aria-hidden="true">{}</span>\n',
        size,
        person.avatar_colour,
        person.initials,
    )
