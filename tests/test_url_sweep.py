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

import pytest
from hypothesis import HealthCheck, example, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.hostile_input import (
    ODD_VALUES,
    Body,
    argument,
    bodies,
    encoded,
    kitchen_sink,
    query_string,
    uploads,
)
from tests.personas import PERSONAS, Personas
from tests.sweep_rows import DataSet, real_value, routes
from tests.urlconf import Route, count_patterns

EXAMPLES_PER_PATTERN = int(os.environ.get("URL_SWEEP_EXAMPLES", "10"))

SWEEP = hypothesis_settings(
    max_examples=EXAMPLES_PER_PATTERN,
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)


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
