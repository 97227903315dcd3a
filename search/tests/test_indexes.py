"""PostgreSQL serves search's text matches from indexes, as Django asks them.

Django writes ``name__icontains`` as ``UPPER(name::text) LIKE UPPER(...)``: an
index on the column itself never serves it, which is how the trigram indexes
once sat unused while each search read every tool, post and member. With
sequential scans and other indexes' scans turned off, the plan names the index
only if it matches.
"""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import User
from decisions.models import Decision
from search.kinds import named_like
from stacks.models import Company
from tools.models import SearchKey, SearchKeyKind, Tool
from tools.search import _band, _starts_a_word
from tools.tests.factories import make_tool


@pytest.mark.parametrize(
    ("queryset", "indexes"),
    [
        (Tool.objects.filter(name__icontains="mongo"), ["tool_name_upper_trgm"]),
        (
            Tool.objects.filter(_starts_a_word("tagline", "mongo")),
            ["tool_tagline_upper_trgm"],
        ),
        (
            Tool.objects.filter(_starts_a_word("description", "mongo")),
            ["tool_description_upper_trgm"],
        ),
        (
            Decision.objects.filter(title__icontains="mongo"),
            ["decision_title_upper_trgm"],
        ),
        (
            Company.objects.filter(named_like("mongo", "name")),
            ["company_name_upper_trgm"],
        ),
        (Company.objects.filter(named_like("mo", "name")), ["company_name_upper_trgm"]),
        (
            User.objects.filter(named_like("mongo", "username", "display_name")),
            ["user_username_upper_trgm", "user_display_name_upper_trgm"],
        ),
    ],
)
def test_text_matches_are_read_through_their_indexes(query_plan, queryset, indexes):
    # A trigram index is read by a bitmap scan: walking another index in
    # the model's order, filtering each row, is the fallback to rule out.
    found = query_plan(queryset.order_by(), disabled=("seqscan", "indexscan"))
    for index in indexes:
        assert index in found


def test_a_word_start_reads_the_text_index_once(query_plan):
    """ "At the start of a word" is the text holding the word, read off the
    index once, then checked row by row; as five patterns (after a space,
    a bracket...) it scanned the index five times for the same trigrams."""
    found = query_plan(
        Tool.objects.filter(_starts_a_word("description", "mongo")).order_by(),
        disabled=("seqscan", "indexscan"),
    )
    assert found.count("tool_description_upper_trgm") == 1


def test_the_typo_pass_reads_its_band_off_its_index(query_plan):
    """The band is read off its index, and the tools table is left alone:
    a subquery per key for its tool's stacks count cost more than the rest
    of the typo pass. Keys of every letter and length, with their
    statistics, so the plan is the one a real catalog gets, not an empty
    table's."""
    tool = make_tool(name="Banded")
    letters = "abcdefghijklmnopqrstuvwxyz"
    SearchKey.objects.bulk_create(
        SearchKey(tool=tool, key=letter * length, kind=SearchKeyKind.WORD)
        for letter in letters
        for length in range(3, 40)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tools_searchkey")
    found = query_plan(
        _band(letters=["p", "o"], shortest=7, longest=11),
        disabled=("seqscan", "indexscan"),
    )
    assert "searchkey_typo_band" in found, found
    assert "tools_tool" not in found, found


@pytest.mark.django_db
def test_every_trigram_index_keeps_its_pending_list_short():
    """Each search reads a GIN index's pending entries whole, and every
    rewrite of a row (a counter changing) adds its trigrams there again: at
    PostgreSQL's default 4 MB limit, reading the post titles' took longer
    than the rest of the query. Any trigram index added later needs the
    same setting."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, index.reloptions
            FROM pg_class index
            JOIN pg_am method ON method.oid = index.relam
            JOIN pg_namespace space ON space.oid = index.relnamespace
            WHERE method.amname = 'gin' AND space.nspname = current_schema()
            """
        )
        options = dict(cursor.fetchall())
    assert len(options) >= 7, options
    assert {
        name: found
        for name, found in options.items()
        if "gin_pending_list_limit=256" not in (found or [])
    } == {}
