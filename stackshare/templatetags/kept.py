"""``{% kept %}``: a template fragment kept like cached pages (stackshare.caching).

    {% kept seconds name var ... %} ... {% endkept %}

Like Django's ``{% cache %}``, keyed by the name and the values it varies on,
but through :func:`stackshare.caching.keep`: an old fragment is rebuilt by one
request while the others get it, instead of by every worker at once. With
``seconds`` 0 the fragment is rendered and neither read nor kept (Django's
tag still reads a kept one then), for what is one reader's own, such as a
form with errors.
"""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

from stackshare.caching import keep

register = template.Library()


class KeptNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        seconds: FilterExpression,
        name: str,
        vary_on: list[FilterExpression],
    ) -> None:
        self.nodelist = nodelist
        self.seconds = seconds
        self.name = name
        self.vary_on = vary_on

    def render(self, context: Context) -> str:
        seconds = int(self.seconds.resolve(context) or 0)
        if seconds <= 0:
            return self.nodelist.render(context)
        parts = [
            settings.PAGE_CACHE_RELEASE,
            self.name,
            *(str(value.resolve(context)) for value in self.vary_on),
        ]
        digest = hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
        return keep(
            f"fragment:{digest}",
            lambda: self.nodelist.render(context),
            keep_if=lambda value: True,
            seconds=seconds,
        )


@register.tag
def kept(parser: Parser, token: Token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            "'kept' takes the seconds, a name, and what the fragment varies on."
        )
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        nodelist,
        parser.compile_filter(bits[1]),
        bits[2],
        [parser.compile_filter(bit) for bit in bits[3:]],
    )
