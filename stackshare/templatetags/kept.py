"""``{% kept seconds name var ... %} ... {% endkept %}``: a fragment kept by
:func:`stackshare.caching.kept` under its name and the values it varies on.

With ``seconds`` 0 the fragment is rendered and neither read nor kept, for
what is one reader's own, such as a form with errors. A kept fragment is
shared by every reader, so it never holds a ``{% csrf_token %}``.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

from stackshare.caching import kept as kept_value

register = template.Library()


class KeptNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        seconds: FilterExpression,
        name: str,
        vary_on: list[FilterExpression],
    ) -> None:
        self.nodelist, self.seconds, self.name, self.vary_on = (
            nodelist,
            seconds,
            name,
            vary_on,
        )

    def render(self, context: Context) -> str:
        name = "|".join([self.name, *(str(v.resolve(context)) for v in self.vary_on)])
        return kept_value(
            f"fragment:{name}",
            lambda: self.nodelist.render(context),
            seconds=int(self.seconds.resolve(context) or 0),
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
