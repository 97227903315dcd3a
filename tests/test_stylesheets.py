"""Every stylesheet is well formed.

A stray or missing brace does not fail loudly: the browser drops the rule
after it, or everything up to the next closing brace, and a page silently
loses its styles (the radar once drew as a black disc this way, after a
merge dropped one ``}``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
COMMENT_OR_STRING = re.compile(
    r"/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", re.S
)


def brace_errors(css: str) -> list[str]:
    """Where the braces of ``css`` do not pair up, comments and strings aside."""
    code = COMMENT_OR_STRING.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    errors, open_at = [], []
    for number, line in enumerate(code.splitlines(), start=1):
        for char in line:
            if char == "{":
                open_at.append(number)
            elif char == "}" and open_at:
                open_at.pop()
            elif char == "}":
                errors.append(f"line {number}: '}}' closes nothing")
    errors += [f"line {number}: '{{' is never closed" for number in open_at]
    return errors


@pytest.mark.parametrize(
    "stylesheet",
    sorted(STATIC.rglob("*.css")),
    ids=lambda path: str(path.relative_to(STATIC)),
)
def test_stylesheet_braces_pair_up(stylesheet):
    assert brace_errors(stylesheet.read_text()) == []


def test_a_missing_brace_is_found():
    assert brace_errors(".a { color: red;\n.b { color: blue; }\n") == [
        "line 1: '{' is never closed"
    ]
    assert brace_errors(".a {}\n}\n/* } */ .c { content: '}'; }\n") == [
        "line 2: '}' closes nothing"
    ]
