"""Kept entries outlive their freshness so that one request rebuilds them."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from stackshare import caching


@pytest.fixture
def clock(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    now = [1_000_000.0]
    monkeypatch.setattr(caching.time, "time", lambda: now[0])
    return now


def test_an_old_entry_is_rebuilt_by_one_caller_while_others_get_it(clock):
    assert caching.keep("k", lambda: "first", keep_if=bool) == "first"
    clock[0] += 200
    assert caching.keep("k", lambda: "second", keep_if=bool) == "first"  # fresh
    clock[0] += 200
    cache.add("k:rebuilding", 1, 30)  # another worker is rebuilding it
    assert caching.keep("k", lambda: "second", keep_if=bool) == "first"
    cache.delete("k:rebuilding")
    assert caching.keep("k", lambda: "second", keep_if=bool) == "second"
    assert caching.keep("k", lambda: "third", keep_if=bool) == "second"


def test_what_is_not_to_be_kept_is_built_every_time(clock):
    assert caching.keep("k", lambda: "", keep_if=bool) == ""
    assert caching.keep("k", lambda: "built", keep_if=bool) == "built"


def test_kept_fragments_vary_on_their_values_and_zero_seconds_keeps_nothing(clock):
    from django.template import engines

    page = engines["django"].from_string(
        "{% load kept %}{% kept seconds box who %}{{ text }}{% endkept %}"
    )
    assert page.render({"seconds": 300, "who": "a", "text": "first"}) == "first"
    assert page.render({"seconds": 300, "who": "a", "text": "second"}) == "first"
    assert page.render({"seconds": 300, "who": "b", "text": "second"}) == "second"
    # A reader's own form with errors: rendered, never served from the cache.
    assert page.render({"seconds": 0, "who": "a", "text": "errors"}) == "errors"
