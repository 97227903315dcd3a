"""Every address of the site, fed hostile input, answers below 500.

The sweep walks the whole URLconf (admin and allauth included) and, for each
pattern, lets hypothesis build requests: path arguments mixing real rows of a
small data set with hostile text (NUL, lone surrogates, broken %-escapes,
huge strings, ``../``, odd Unicode), hostile query strings and form bodies,
as an anonymous reader, a member and a moderator, with GET, HEAD, POST and
the rarer methods. Any 5xx fails, with the request printed.

It runs in the SQLite and the PostgreSQL suites alike; NUL bytes matter
mostly on PostgreSQL, which refuses them. Examples are derandomised, so CI
runs are reproducible; ``URL_SWEEP_EXAMPLES`` raises their number for a
longer local hunt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
)
from hypothesis import HealthCheck, example, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from decisions.models import DecisionKind
from decisions.tests.factories import make_comment, make_decision
from feeds.models import Reading
from stacks.tests.factories import make_company, make_membership, make_stack
from stackups.services import resolve, stackup_for
from tests.urlconf import Route, count_patterns, walk
from tools.models import ProConKind
from tools.tests.factories import make_alias, make_category, make_procon, make_tool

EXAMPLES_PER_PATTERN = int(os.environ.get("URL_SWEEP_EXAMPLES", "10"))

SWEEP = hypothesis_settings(
    max_examples=EXAMPLES_PER_PATTERN,
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)

PERSONAS = ["anonymous", "member", "moderator"]

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
    "pick_tool",
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


@dataclass
class DataSet:
    """A few rows of everything, and the values that address them."""

    ints: list[int] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    real: dict[str, str] = field(default_factory=dict)

    def values(self) -> list[str]:
        return [*map(str, self.ints), *self.slugs, *self.strings]


@pytest.fixture
def data_set(member, other_member, moderator) -> DataSet:
    """Tools with pros and cons, a company with a stack, posts, comments."""
    function = make_category(name="Web frameworks")
    django, flask, rails = (
        make_tool(name=name, function=function) for name in ("Django", "Flask", "Rails")
    )
    make_alias(tool=django, package="pypi:django")
    pro = make_procon(tool=django, text="Batteries included", kind=ProConKind.PRO)
    con = make_procon(tool=django, text="Heavy for tiny apps", kind=ProConKind.CON)
    company = make_company(name="Acme", owner=member)
    make_membership(company=company, user=other_member)
    stack = make_stack(name="Main product", company=company, tools=[django, flask])
    own_stack = make_stack(name="Side project", owner_user=member, tools=[rails])
    decision = make_decision(author=member, chosen=[django], considered=[flask])
    advice = make_decision(
        author=other_member, kind=DecisionKind.ADVICE, considered=[django, rails]
    )
    comment = make_comment(decision=decision, author=other_member)
    reply = make_comment(decision=decision, author=member, parent=comment)
    stackup = stackup_for(resolve(f"{django.slug}-vs-{flask.slug}"))
    reading, _ = Reading.objects.get_or_create(user=member)
    tool_type = ContentType.objects.get_for_model(django)
    return DataSet(
        ints=[
            decision.pk,
            advice.pk,
            comment.pk,
            reply.pk,
            pro.pk,
            con.pk,
            member.pk,
            tool_type.pk,
            0,
            2**31,
            2**63,
            10**30,
        ],
        slugs=[
            django.slug,
            flask.slug,
            function.slug,
            function.parent.slug,
            company.slug,
            stack.slug,
            own_stack.slug,
            decision.slug,
        ],
        strings=[
            member.username,
            other_member.username,
            moderator.username,
            reading.feed_key,
            stackup.slug,
            "comparison",
            "alternatives",
            "tools",
        ],
        real={
            "decision": str(decision.pk),
            "decision_slug": decision.slug,
            "comment": str(comment.pk),
            "procon": str(pro.pk),
            "tool": django.slug,
            "category": function.slug,
            "company": company.slug,
            "stack": stack.slug,
            "member": member.username,
            "company_member": other_member.username,
            "feed_key": reading.feed_key,
            "stackup": stackup.slug,
            "content_type": str(tool_type.pk),
        },
    )


# --- The URLconf ---------------------------------------------------------------


def real_value(route: Route, param: str, data: DataSet) -> str:
    """A value of ``param`` that addresses a real row, where one exists."""
    fmt = route.template[0]
    if fmt.startswith("admin/"):
        return admin_value(fmt, param, data)
    by_prefix = {
        "decisions/comments/": "comment",
        "decisions/": "decision",
        "pros-cons/": "procon",
        "tools/": "tool",
        "feeds/tools/": "tool",
        "categories/": "category",
        "feeds/categories/": "category",
        "companies/": "company",
        "feeds/companies/": "company",
        "stacks/": "stack",
    }
    kind = next(
        (
            kind
            for prefix, kind in sorted(by_prefix.items(), key=lambda kv: -len(kv[0]))
            if fmt.startswith(prefix)
        ),
        "",
    )
    if param == "slug" and kind == "decision":
        return data.real["decision_slug"]
    if param in {"pk", "slug"} and kind:
        return data.real[kind]
    if param == "username":
        return data.real["company_member" if fmt.startswith("companies/") else "member"]
    named = {
        "key": data.real["feed_key"] if fmt.startswith("feeds/") else "not-a-key",
        "tool_slug": data.real["tool"],
        "slugs": data.real["stackup"],
        "tab": "comparison",
        "uidb36": "1",
    }
    if param in named:
        return named[param]
    return fallback_value(route, param, data)


def admin_value(fmt: str, param: str, data: DataSet) -> str:
    if param == "app_label":
        return "tools"
    if param == "url":
        return "no-such-page/"
    if param == "content_type_id":
        return data.real["content_type"]
    parts = fmt.split("/")
    if param in {"object_id", "id"} and len(parts) > 3:
        try:
            model = apps.get_model(parts[1], parts[2])
        except LookupError:
            return "1"
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return str(pk if pk is not None else 1)
    return data.real["tool"]


def fallback_value(route: Route, param: str, data: DataSet) -> str:
    """For patterns added after this test: any value of the right shape."""
    converter = route.converters.get(param)
    if isinstance(converter, IntConverter):
        return str(data.ints[0])
    if isinstance(converter, SlugConverter | StringConverter | PathConverter):
        return data.slugs[0]
    return "1"


def routes() -> list[Route]:
    return walk()


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


# --- Requests ------------------------------------------------------------------


class RolledBackError(Exception):
    """Raised to undo a request's writes, so every example sees the same data."""


@dataclass
class Personas:
    clients: dict[str, Client]
    sessions: dict[str, str]

    def request(
        self,
        persona: str,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        client = self.clients[persona]
        # A fresh jar each time: a logout or a message cookie from one
        # example must not change who makes the next one.
        client.cookies = SimpleCookie()
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        body = body or Body()
        for value in (body.fields or {}).values():
            for file in value if isinstance(value, list) else [value]:
                if hasattr(file, "seek"):
                    file.seek(0)  # an example may be sent again while shrinking
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if method == "POST" and body.fields is not None:
            kwargs["data"] = body.fields
        elif body.raw:
            kwargs["data"] = body.raw.encode()
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        response = None
        try:
            with transaction.atomic():
                if method == "POST":
                    response = client.post(path, **kwargs)
                elif method == "HEAD":
                    response = client.head(path, headers=kwargs["headers"])
                elif method == "GET":
                    response = client.get(path, headers=kwargs["headers"])
                else:
                    response = client.generic(
                        method, path, body.raw.encode(), headers=kwargs["headers"]
                    )
                raise RolledBackError
        except RolledBackError:
            pass
        return response


@pytest.fixture
def personas(member, moderator, data_set) -> Personas:
    clients = {name: Client(raise_request_exception=False) for name in PERSONAS}
    sessions = {}
    for name, user in [("member", member), ("moderator", moderator)]:
        clients[name].force_login(user)
        sessions[name] = clients[name].cookies[settings.SESSION_COOKIE_NAME].value
    return Personas(clients=clients, sessions=sessions)


def real_path(route: Route, data: DataSet) -> str:
    fmt, params = route.template
    return "/" + fmt % {p: encoded(real_value(route, p, data)) for p in params}


def describe(persona: str, method: str, path: str, body: Body | None = None) -> str:
    shown = path if len(path) < 400 else f"{path[:400]}… ({len(path)} chars)"
    return f"{persona} {method} {shown!r} body={body!r}"


# --- Tests ---------------------------------------------------------------------


# The sweep is the suite's longest test; in shards, parallel workers share it.
SHARDS = 4


def shard_of(shard: int) -> list[Route]:
    return routes()[shard::SHARDS]


def test_the_shards_cover_every_url_pattern():
    assert sum(len(shard_of(shard)) for shard in range(SHARDS)) == count_patterns()


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_url_pattern_answers_hostile_input_without_a_5xx(
    shard, data_set, personas, settings
):
    """No address, argument, query string, form body, method or persona
    makes the site answer 500."""
    # As in production, anonymous readers go through the page cache.
    settings.PAGE_CACHE_SECONDS = 300
    for route in shard_of(shard):
        fmt, params = route.template
        sweep_route(route, fmt, params, data_set, personas)


def sweep_route(
    route: Route, fmt: str, params: list[str], data: DataSet, personas: Personas
) -> None:
    # Besides the drawn examples, every pattern gets signed-in POSTs where
    # drawn ones would rarely land: every field and upload at once (the
    # moderator's with a word wherever an id is expected), and the uploads
    # alone, so that a form with no other required field reads them.
    real = {param: encoded(real_value(route, param, data)) for param in params}
    posts = [
        {"persona": persona, "method": "POST", "arguments": real}
        | {"query": "", "body": body, "htmx": False}
        for persona, body in [
            ("member", kitchen_sink(ODD_VALUES)),
            ("moderator", kitchen_sink(["abc"])),
            ("member", Body(fields=uploads())),
        ]
    ]

    @SWEEP
    @example(**posts[0])
    @example(**posts[1])
    @example(**posts[2])
    @given(
        persona=st.sampled_from(PERSONAS),
        method=st.sampled_from(
            ["GET", "POST", "HEAD", "GET", "POST", "PUT", "DELETE", "OPTIONS"]
        ),
        arguments=st.fixed_dictionaries(
            {param: argument(route, param, data) for param in params}
        ),
        query=query_string(data),
        body=bodies(data),
        htmx=st.booleans(),
    )
    def check(
        persona: str,
        method: str,
        arguments: dict[str, str],
        query: str,
        body: Body,
        htmx: bool,
    ) -> None:
        path = "/" + fmt % arguments
        if query:
            path += "?" + query
        headers = {"HX-Request": "true"} if htmx else {}
        request = describe(persona, method, path, body)
        note(request)
        response = personas.request(persona, method, path, body=body, headers=headers)
        assert response.status_code < 500, f"{response.status_code} for {request}"

    check()


# Django's admin login sends signed-in staff on to the index on GET only
# (django.contrib.admin.sites.AdminSite.login); HEAD gets the form.
HEAD_DIFFERS_BY_DESIGN = {("moderator", "/admin/login/")}


@pytest.mark.slow
@pytest.mark.django_db
def test_head_answers_like_get_everywhere(data_set, personas):
    """HEAD gives every address the status GET gives it, with no body, for
    every persona; uptime monitors and link checkers use it."""
    mismatches = []
    for route in routes():
        path = real_path(route, data_set)
        for persona in PERSONAS:
            get = personas.request(persona, "GET", path)
            head = personas.request(persona, "HEAD", path)
            if (persona, path) in HEAD_DIFFERS_BY_DESIGN:
                continue
            if head.status_code != get.status_code or head.content:
                mismatches.append(
                    f"{persona} {path}: GET {get.status_code}, HEAD {head.status_code}"
                )
    assert not mismatches, "\n".join(mismatches)
