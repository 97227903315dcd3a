"""JSON bodies whose every string a database column can hold."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from stackshare.hostile import is_storable


def strings_in(data: Any) -> list[str]:
    """Every string in parsed JSON, keys too, walked without recursion."""
    found: list[str] = []
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def all_storable(data: Any) -> bool:
    return all(is_storable(text) for text in strings_in(data))


class StorableJSONParser(JSONParser):
    """DRF's JSON parser, refusing NUL characters and lone surrogates.

    The site's middleware turns them away in addresses and forms
    (stackshare.hostile); a JSON body is each view's own, and ``\\u0000``
    or ``\\ud800`` escapes decode to exactly what PostgreSQL refuses to
    store or compare (a server error) and what no encoder can write out.
    """

    def parse(
        self, stream: Any, media_type: Any = None, parser_context: Any = None
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not all_storable(data):
            raise ParseError("The body holds a NUL character or a lone surrogate.")
        return data
