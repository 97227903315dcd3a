"""``{% company_logo company "sm" %}``: a company's uploaded logo, else its
monogram on a colour picked from its slug. Sizes as for tool logos: sm,
md, lg, xl.

Performance: a tag rather than an included partial, as for tool logos
(``tools.templatetags.logos``): the companies list shows one per card, and
the partial cost about 70 µs each.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from stacks.models import Company
from stackshare.pictures import known_size

register = template.Library()


@register.simple_tag
def company_logo(company: Company, size: str = "md") -> SafeString:
    # Surrounded by white space, as the partial it replaces was.
    size = known_size(size)
    if company.logo:
        return format_html(
            '\n<img class="tool-logo tool-logo--{}" src="{}" alt="" width="40" '
            'height="40" loading="lazy">\n',
            size,
            company.logo.url,
        )
    return format_html(
        '\n<span class="monogram monogram--{} monogram--c{} company-monogram" '
        'aria-hidden="true">{}</span>\n',
        size,
        company.monogram_colour,
        company.monogram,
    )
