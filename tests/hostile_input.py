"""Hostile input for the URL sweep: raw and text fragments, field names, strategies, bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls.converters import IntConverter, SlugConverter
from hypothesis import strategies as st

from tests.sweep_rows import DataSet, real_value
from tests.urlconf import Route

# Already %-encoded fragments, put into addresses and bodies as they are:
# what a broken or hostile client sends on the wire.
RAW_HOSTILE = [
    "%00",
    "a%00b",
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "%ED%BF%BF",
    "%FF",
    "%C0%AE",  # an overlong encoding of "."
    "%zz",
    "%",
    "%25",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f",
    "%0d%0aSet-Cookie:%20x=1",
    "%E2%80%AE",  # right-to-left override
    "%F0%9F%92%A9",
    "%EF%BF%BD",
]
# Plain text, %-encoded before use (lone surrogates with surrogatepass).
TEXT_HOSTILE = [
    "",
    " ",
    "\x00",
    "\ud800",
    "\udfff",
    "../",
    "..\\..\\",
    "abc",
    "-1",
    "0",
    "1.5",
    "1e9",
    "9" * 40,
    "9" * 5000,
    "a" * 5000,
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "\\\\evil.example",
    "ß☃\U0001d54f",
    "\u202e",
    "\r\n",
    "\t",
]
# Parameter and field names the site's pages and forms read, so hostile
# values reach the code behind them, not only form validation.
FIELD_NAMES = [
    "next",
    "q",
    "page",
    "sort",
    "tool",
    "company",
    "kind",
    "state",
    "stats",
    "text",
    "name",
    "description",
    "title",
    "body",
    "note",
    "role",
    "username",
    "origin",
    "intent",
    "chosen_pick",
    "considered_pick",
    "drop_tool",
    "chosen_add",
    "considered_add",
    "chosen",
    "considered",
    "parent",
    "reason",
    "details",
    "after",
    "comments",
    "layer",
    "category",
    "function",
    "license",
    "open_source",
    "has_repository",
    "industry",
    "size",
    "confirm",
    "new_key",
    "digest",
    "login",
    "password",
    "email",
    "website",
    "tagline",
    "post",
    "action",
    "_selected_action",
    "o",
    "p",
    "e",
    "_changelist_filters",
    "utm_source",
]


# --- Strategies ----------------------------------------------------------------


def encoded(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


def any_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Any code point, lone surrogates and NUL included."""
    char = st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\udc80"]))
    return st.lists(char, max_size=max_size).map("".join)


def hostile_value(data: DataSet) -> st.SearchStrategy[str]:
    """Already %-encoded: real values, hostile text, raw broken escapes."""
    return st.one_of(
        st.sampled_from(data.values()).map(encoded),
        st.sampled_from(TEXT_HOSTILE).map(encoded),
        st.sampled_from(RAW_HOSTILE),
        any_text().map(encoded),
    )


def argument(route: Route, param: str, data: DataSet) -> st.SearchStrategy[str]:
    converter = route.converters.get(param)
    if isinstance(converter, IntConverter):
        shaped = st.one_of(
            st.sampled_from(data.ints), st.integers(min_value=0, max_value=10**40)
        ).map(str)
    elif isinstance(converter, SlugConverter):
        shaped = st.one_of(
            st.sampled_from(data.slugs),
            st.from_regex(r"[-a-zA-Z0-9_]+", fullmatch=True),
        )
    elif converter is None:  # a regex pattern's group
        shaped = st.from_regex(route.argument_regex(param), fullmatch=True).filter(
            lambda value: "/" not in value or param == "url"
        )
    else:
        shaped = st.sampled_from(data.values())
    return st.one_of(
        st.just(encoded(real_value(route, param, data))),
        shaped.map(lambda value: quote(value, safe="/", errors="surrogatepass")),
        hostile_value(data),
    )


def pairs(data: DataSet) -> st.SearchStrategy[list[tuple[str, str]]]:
    name = st.one_of(
        st.sampled_from(FIELD_NAMES).map(encoded),
        st.sampled_from(RAW_HOSTILE),
        any_text(10).map(encoded),
    )
    return st.lists(st.tuples(name, hostile_value(data)), max_size=6)


def query_string(data: DataSet) -> st.SearchStrategy[str]:
    return st.one_of(
        st.just(""),
        pairs(data).map(lambda items: "&".join(f"{k}={v}" for k, v in items)),
        st.sampled_from(RAW_HOSTILE),
        st.just("q=" + "a" * 10_000),
    )


@dataclass
class Body:
    """A form body: raw urlencoded bytes, or multipart fields with a file."""

    raw: str = ""
    fields: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return repr(self.fields) if self.fields is not None else repr(self.raw[:300])


def multipart_text() -> st.SearchStrategy[str]:
    # Encoded as UTF-8 by the test client, so no surrogates here; they reach
    # the site through the raw bodies instead.
    return st.one_of(
        st.sampled_from([t for t in TEXT_HOSTILE if "\ud800" not in t]).filter(
            lambda t: "\udfff" not in t
        ),
        st.text(max_size=20),
    )


# Manifests whose package names hold what JSON escapes and stray bytes
# can put there.
HOSTILE_FILES = [
    ("package.json", b'{"dependencies": {"a\\u0000b": "1", "c\\ud800": "2"}}'),
    ("requirements.txt", b"flask\x00==1\n\xff\xfe\ndjango\n"),
    ("techstack.yml", b'tools:\n  - name: "a\\0b"\n    website: "http://\\0"\n'),
    ("pyproject.toml", b'[project]\ndependencies = ["a\\u0000b"]\n'),
]
ODD_VALUES = ["abc", "-1", "9" * 30, "", "../", "<b>", "//evil.example/", "x:\u2603"]


def all_field_names() -> list[str]:
    """The names pages read, and every model field's (admin forms use them)."""
    names = dict.fromkeys(FIELD_NAMES)
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if model_field.concrete:
                names[model_field.name] = None
    return list(names)


def uploads() -> dict[str, Any]:
    """Hostile manifests and a broken image, as every kind of upload."""
    fields: dict[str, Any] = {
        "files": [SimpleUploadedFile(name, data) for name, data in HOSTILE_FILES]
    }
    for name in ("avatar", "logo", "file"):
        fields[name] = SimpleUploadedFile("image.png", b"\x89PNG\r\n\x1a\n\x00")
    return fields


def kitchen_sink(values: list[str]) -> Body:
    """Every field at once, each with one of ``values`` (odd, but let
    through by the middleware), and the hostile uploads."""
    fields: dict[str, Any] = {
        name: values[i % len(values)] for i, name in enumerate(all_field_names())
    }
    return Body(fields=fields | uploads())


def bodies(data: DataSet) -> st.SearchStrategy[Body]:
    file_names = st.sampled_from(
        [
            "package.json",
            "a\x00b.txt",
            "../../etc/passwd",
            "\u00df\u2603.toml",
            "",
            "x" * 300,
        ]
    )
    upload = st.builds(
        lambda name, content: SimpleUploadedFile(name or "f", content),
        file_names,
        st.sampled_from(
            [b"", b"\x00\xff\xfe", b'{"a": [[[[[[1]]]]]]}', b"x" * 1000]
            + [content for _, content in HOSTILE_FILES]
        ),
    )
    multipart = st.builds(
        lambda fields, file, file_field: Body(
            fields={**fields, **({file_field: file} if file else {})}
        ),
        st.dictionaries(st.sampled_from(FIELD_NAMES), multipart_text(), max_size=5),
        st.one_of(st.none(), upload),
        st.sampled_from(["files", "avatar", "logo", "file"]),
    )
    return st.one_of(
        st.just(Body()),
        query_string(data).map(lambda raw: Body(raw=raw)),
        multipart,
    )
