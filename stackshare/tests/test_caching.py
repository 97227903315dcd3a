"""Kept entries outlive their freshness so that one request rebuilds them."""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.cache import cache
from django.utils.text import compress_string

from stackshare import caching


@pytest.fixture
def clock(settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 300
    now = [1_000_000.0]
    monkeypatch.setattr("stackshare.caching.time.time", lambda: now[0])
    return now


def test_an_old_entry_is_rebuilt_by_one_caller_while_others_get_it(clock):
    assert caching.kept("k", lambda: "first", keep_if=bool) == "first"
    clock[0] += 200
    assert caching.kept("k", lambda: "second", keep_if=bool) == "first"  # fresh
    clock[0] += 200
    key = caching._key("kept", "k")
    cache.add(f"{key}:rebuilding", 1, 30)  # another worker is rebuilding it
    assert caching.kept("k", lambda: "second", keep_if=bool) == "first"
    cache.delete(f"{key}:rebuilding")
    assert caching.kept("k", lambda: "second", keep_if=bool) == "second"
    assert caching.kept("k", lambda: "third", keep_if=bool) == "second"


def test_an_entry_built_under_older_versions_is_never_served(clock):
    """A bump makes the next caller build anew, even while another worker
    holds the rebuild of the older entry: it was built from what changed."""
    assert caching.kept("k", lambda: "before", versions=["v:tool:x"]) == "before"
    key = caching._key("kept", "k")
    cache.add(f"{key}:rebuilding", 1, 30)
    cache.set("v:tool:x", 2, timeout=None)  # what caching.bump writes
    assert caching.kept("k", lambda: "after", versions=["v:tool:x"]) == "after"
    assert caching.kept("k", lambda: "again", versions=["v:tool:x"]) == "after"


def test_what_is_not_to_be_kept_is_built_every_time(clock):
    assert caching.kept("k", lambda: "", keep_if=bool) == ""
    assert caching.kept("k", lambda: "built", keep_if=bool) == "built"


def without_tokens(content: bytes) -> bytes:
    """A page without its CSRF tokens, which each response masks anew."""
    return re.sub(rb"[A-Za-z0-9]{64}", b"", content)


@pytest.fixture
def cached_pages(settings, db):
    settings.PAGE_CACHE_SECONDS = 300
    from tools.tests.factories import make_tool

    flask = make_tool(name="Flask", is_open_source=True, license="BSD")
    make_tool(name="Oracle", is_open_source=False, created_at=flask.created_at)
    return flask


def test_query_parameters_a_page_does_not_read_share_its_cached_copy(
    client, cached_pages, django_assert_num_queries
):
    """Tracking parameters make no new copy of a page: the plain page's
    copy answers them all without a query."""
    plain = client.get("/tools/")
    assert plain.status_code == 200
    for n in range(20):
        with django_assert_num_queries(0):
            tagged = client.get(f"/tools/?utm_source=mail{n}&fbclid={n}")
        assert without_tokens(tagged.content) == without_tokens(plain.content)


def test_the_order_of_query_parameters_makes_no_new_copy(
    client, cached_pages, django_assert_num_queries
):
    first = client.get("/tools/?sort=newest&open_source=true")
    assert b"Flask" in first.content
    assert b"Oracle" not in first.content
    with django_assert_num_queries(0):
        second = client.get("/tools/?open_source=true&utm_medium=x&sort=newest")
    assert without_tokens(second.content) == without_tokens(first.content)


def test_parameters_a_page_reads_still_get_their_own_copy(client, cached_pages):
    """Filters, the page number and repeated values in another order are
    different pages, and each shows what it asked for."""
    assert b"Oracle" in client.get("/tools/").content
    assert b"Oracle" not in client.get("/tools/?open_source=true").content
    assert b"Flask" not in client.get("/tools/?open_source=false").content
    # GET.get() reads the last value, so these two ask for different pages.
    assert (
        b"Oracle"
        not in client.get("/tools/?open_source=false&open_source=true").content
    )
    assert (
        b"Flask" not in client.get("/tools/?open_source=true&open_source=false").content
    )


def test_a_cached_page_never_carries_parameters_it_does_not_read(client, cached_pages):
    """A page first rendered for an address with extra parameters is the
    plain page: nothing of them (the search box, the login link's next)
    reaches the readers it is served to."""
    first = client.get(f"{cached_pages.get_absolute_url()}?utm_source=evil&q=evil")
    assert first.status_code == 200
    assert b"evil" not in first.content
    assert b"evil" not in client.get(cached_pages.get_absolute_url()).content


def test_members_see_only_the_parameters_the_page_declares(member_client, db):
    """Declared parameters are the page's whole input for every reader, so
    a parameter missing from the declaration shows in any test of it."""
    from tools.tests.factories import make_tool

    make_tool(name="Flask")
    response = member_client.get("/search/tools/?q=flask&utm_source=x&page=1")
    assert response.wsgi_request.GET.dict() == {"page": "1", "q": "flask"}
    assert response.wsgi_request.get_full_path() == "/search/tools/?page=1&q=flask"
    assert b"Flask" in response.content


def test_head_is_served_like_get_and_keeps_the_whole_page(
    client, cached_pages, django_assert_num_queries
):
    """A monitor's HEAD fills the cache as a GET would, with the whole page,
    and is answered from it afterwards."""
    head = client.head("/tools/?utm_source=monitor")
    assert head.status_code == 200
    assert head.content == b""
    with django_assert_num_queries(0):
        page = client.get("/tools/")
    assert b"Flask" in page.content
    with django_assert_num_queries(0):
        assert client.head("/tools/").status_code == 200


@pytest.fixture
def trips(monkeypatch):
    """The cache round trips a request makes, by method name."""
    made: list[str] = []
    inside: list[str] = []  # the local cache's get_many calls its own get

    def counted(name, method):
        def call(*args, **kwargs):
            if not inside:
                made.append(name)
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ["get", "get_many", "add", "set"]:
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    # What this process has learnt of each page's header list, from scratch.
    monkeypatch.setattr(caching, "_vary_read", {})
    return made


def test_a_cached_page_costs_one_cache_round_trip(
    client, cached_pages, trips, django_assert_num_queries
):
    """The page's header list, its versions and the page come in one round
    trip, once the process has read the page's header list: what every
    cache hit pays."""
    client.get("/tools/")
    assert trips == ["get_many", "add", "add", "set", "set"]  # two new versions
    for expected in (["get_many", "get"], ["get_many"], ["get_many"]):
        trips.clear()
        with django_assert_num_queries(0):
            page = client.get("/tools/")
        assert page["X-Cache"] == "hit"
        assert b"Flask" in page.content
        assert trips == expected


def test_a_page_whose_headers_vary_otherwise_is_still_served(
    client, cached_pages, trips
):
    """A wrong guess of the page's key costs the second round trip, never
    another page: here the process believes the page varies on a header it
    does not."""
    client.get("/tools/")
    page = "tools.views.browse.tool_list"
    client.get("/tools/")
    assert page in caching._vary_read
    caching._vary_read[page] = ["HTTP_X_SOMETHING_ELSE"]
    trips.clear()
    response = client.get("/tools/")
    assert response["X-Cache"] == "hit"
    assert b"Flask" in response.content
    assert trips == ["get_many", "get"]


def test_a_kept_page_is_compressed_once_for_every_reader_asking_for_gzip(
    client, cached_pages, monkeypatch
):
    """Browsers and crawlers all ask for gzip: a page is compressed when it
    is kept, not again on every hit (which cost about as much as the hit)."""
    compressions: list[bytes] = []

    def compress(content: bytes) -> bytes:
        compressions.append(content)
        return compress_string(content)

    monkeypatch.setattr("stackshare.caching.compress_string", compress)
    plain = client.get("/tools/")
    pages = [
        client.get("/tools/", headers={"accept-encoding": "gzip, br"}) for _ in range(3)
    ]
    assert len(compressions) == 1
    assert [page["X-Cache"] for page in pages] == ["hit"] * 3
    for page in pages:
        assert page["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in page["Vary"]
        assert gzip.decompress(page.content) == plain.content
        assert int(page["Content-Length"]) == len(page.content) < len(plain.content)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]


def test_the_first_reader_of_a_page_gets_it_compressed_too(client, cached_pages):
    page = client.get("/tools/", headers={"accept-encoding": "gzip"})
    assert page["X-Cache"] == "miss"
    assert page["Content-Encoding"] == "gzip"
    assert b"Flask" in gzip.decompress(page.content)


def test_each_compressed_response_is_padded_afresh(member_client, cached_pages):
    """A member's copy holds CSRF tokens: like GZipMiddleware, each response
    pads the compressed page to a random length, so the size of those
    secrets is not given away (BREACH)."""
    address = cached_pages.get_absolute_url()
    member_client.get(address)  # sets the CSRF cookie the copies are kept under
    member_client.get(address)
    pages = [
        member_client.get(address, headers={"accept-encoding": "gzip"})
        for _ in range(6)
    ]
    assert [page["X-Cache"] for page in pages] == ["hit"] * 6
    assert len({len(page.content) for page in pages}) > 1
    assert len({gzip.decompress(page.content) for page in pages}) == 1


def test_versions_filling_nearly_every_bucket_are_read_as_a_few_coarse_ones(
    clock, db, django_capture_on_commit_callbacks
):
    """A feed of a few follows reads their own buckets; one of hundreds,
    which fill nearly every bucket, reads the few coarse ones, and still
    moves when any one of them is bumped."""
    few = [caching.tool_version(f"tool-{n}") for n in range(5)]
    many = [caching.tool_version(f"tool-{n}") for n in range(300)]
    assert caching.buckets(few) == sorted({caching._bucket(key) for key in few})
    assert len(caching.buckets(many)) <= caching.COARSE_BUCKETS
    for bumped in (many[7], many[123], many[299]):
        before = caching.stamps(caching.buckets(many))
        with django_capture_on_commit_callbacks(execute=True):
            caching.bump(bumped)
        assert caching.stamps(caching.buckets(many)) != before
