"""The site search pages: grouped results, "see all", autocomplete, nothing found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member
from decisions.tests.factories import make_decision
from search.models import ZeroResultQuery
from stacks.tests.factories import make_company
from stackups.services import resolve, stackup_for
from tools.tests.factories import make_category, make_synonym, make_tool

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def found():
    """A little of everything a search for "postgres" should find."""
    databases = make_category(name="Relational Databases")
    postgres = make_tool(
        name="PostgreSQL",
        slug="postgresql",
        function=databases,
        tagline="The relational database",
        stack_count=9,
    )
    make_synonym(tool=postgres, term="postgres")
    mysql = make_tool(name="MySQL", function=databases, stack_count=5)
    company = make_company(name="Postgres Hosting Ltd")
    stackup = stackup_for(resolve(f"{mysql.slug}-vs-{postgres.slug}"))
    decision = make_decision(
        title="Why we moved off MySQL", chosen=[postgres], considered=[mysql]
    )
    person = make_member(username="postgres_fan", display_name="Ada Postgres")
    return {
        "postgres": postgres,
        "company": company,
        "stackup": stackup,
        "decision": decision,
        "person": person,
    }


def search(client, query, **params):
    return client.get(reverse("search:results"), {"q": query, **params})


FRESHNESS = "refreshed every few minutes"


def test_one_box_finds_every_kind_in_groups(client, found):
    """Tools, companies, stackups, decisions and members, each in its group."""
    page = search(client, "postgres").content.decode()
    for kind in ["Tools", "Companies", "Stackups", "Decisions and advice", "Members"]:
        assert 'id="results-' in page
        assert kind in page
    assert found["postgres"].get_absolute_url() in page
    assert found["company"].get_absolute_url() in page
    assert found["stackup"].get_absolute_url() in page
    assert found["decision"].get_absolute_url() in page
    assert found["person"].get_absolute_url() in page
    assert page.index("results-tools") < page.index("results-members")
    # Search pages are kept while counts move (stackshare.caching): they say so.
    assert FRESHNESS in page


def test_grouped_page_costs_a_fixed_number_of_queries(
    client, found, django_assert_max_num_queries
):
    """At most the same queries for one result per kind or eleven."""
    # the tools' ranking (keys, text, typo candidates and the tools of those
    # within reach, when there are) and the tools shown; companies;
    # stackups and their tools; the newest posts titled and tagged, then
    # their cards and tags; members
    with django_assert_max_num_queries(13):
        search(client, "postgres")
    for n in range(10):
        make_tool(name=f"Postgres helper {n}", tagline="postgres")
        make_company(name=f"Postgres shop {n}")
        make_member(username=f"postgres{n}")
        make_decision(title=f"Postgres at scale, part {n}", chosen=[found["postgres"]])
    with django_assert_max_num_queries(13):
        search(client, "postgres")


def test_see_all_tools_filters_by_the_catalog_tree(client, found):
    other = make_tool(name="Postgres Exporter", tagline="Metrics")
    url = reverse("search:kind", kwargs={"kind": "tools"})
    page = client.get(url, {"q": "postgres"}).content.decode()
    assert found["postgres"].name in page
    assert other.name in page
    layer = found["postgres"].function.parent.parent
    page = client.get(url, {"q": "postgres", "layer": layer.slug}).content.decode()
    assert found["postgres"].name in page
    assert other.name not in page
    fragment = client.get(
        url,
        {"q": "postgres", "function": found["postgres"].function.slug},
        headers=HTMX,
    ).content.decode()
    assert "<html" not in fragment
    assert found["postgres"].name in fragment


def test_see_all_pages_of_every_kind_answer(client, found):
    for kind in ["tools", "companies", "stackups", "decisions", "members"]:
        response = client.get(reverse("search:kind", args=[kind]), {"q": "postgres"})
        assert response.status_code == 200, kind
        assert FRESHNESS in response.text, kind
    assert client.get("/search/widgets/?q=postgres").status_code == 404


def test_see_all_tools_queries_do_not_grow(
    client, found, django_assert_max_num_queries
):
    url = reverse("search:kind", kwargs={"kind": "tools"})
    # categories for the filters; the ranking (keys, text, typo candidates
    # and the tools of those within reach); the page's tools
    with django_assert_max_num_queries(6):
        client.get(url, {"q": "postgres"})
    for n in range(10):
        make_tool(name=f"Postgres tool {n}")
    with django_assert_max_num_queries(6):
        client.get(url, {"q": "postgres"})


def test_old_paginated_search_links_land_on_the_tools(client, found):
    response = search(client, "postgres", page=2)
    assert response.status_code == 302
    assert response["Location"] == "/search/tools/?q=postgres&page=2"


def test_nothing_found_offers_names_categories_and_submitting(client, found):
    """A typo too far for the ranking still gets "did you mean", close
    categories, and the way to submit the tool; the query is counted."""
    page = search(client, "Postgrey sequel").content.decode()
    assert "No tool found" in page
    assert "Did you mean" in page
    assert "PostgreSQL" in page
    assert found["postgres"].function.get_absolute_url() in page
    assert reverse("tools:create") in page
    search(client, "postgrey  SEQUEL ")
    assert ZeroResultQuery.objects.get().count == 2
    assert ZeroResultQuery.objects.get().query == "postgrey sequel"


def test_nothing_found_costs_a_fixed_number_of_queries(
    client, found, django_assert_max_num_queries
):
    search(client, "postgrey sequel")  # counted a first time
    # the ranking (keys, text, typo candidates); companies; decisions;
    # members; the count (one UPDATE); did you mean (candidates, the tools
    # within reach, those shown); close categories
    with django_assert_max_num_queries(11):
        search(client, "postgrey sequel")


def test_a_query_finding_members_but_no_tool_is_counted(client, found):
    """Moderators hear of missing tools even when a member has the name."""
    make_member(username="zorblax")
    page = search(client, "zorblax").content.decode()
    assert "No tool found" in page
    assert 'id="results-members"' in page
    assert ZeroResultQuery.objects.get().query == "zorblax"


def test_queries_that_find_something_are_not_counted(client, found):
    search(client, "postgres")
    search(client, "")
    assert not ZeroResultQuery.objects.exists()


def test_long_and_hostile_queries_are_answered(client, found):
    assert search(client, "y" * 5000).status_code == 200
    assert search(client, "%_\\'\"<script>").status_code == 200
    assert "first 100 characters" in search(client, "p" * 300).content.decode()


def test_autocomplete_matches_synonyms_and_shows_function_and_stacks(
    client, found, django_assert_max_num_queries
):
    # the ranking (keys, names and taglines, typo candidates and the tools
    # of those within reach); the tools shown with their function
    with django_assert_max_num_queries(5):
        response = client.get(
            reverse("search:autocomplete"),
            {"q": "postgres"},
            headers={"Accept": "application/json"},
        )
    first = response.json()["results"][0]
    assert first["slug"] == "postgresql"
    assert first["function"] == "Relational Databases"
    assert first["stacks"] == 9
    fragment = client.get(
        reverse("search:autocomplete"), {"q": "postgres"}, headers=HTMX
    ).content.decode()
    assert "<html" not in fragment
    assert 'role="listbox"' in fragment
    assert 'role="option"' in fragment
    assert "Relational Databases · 9 stacks" in fragment
    assert "1 tool found" in fragment


def test_a_pickers_suggestions_do_not_lead_out_of_its_form(client, found):
    """The header search offers to search everything; a tool picker, inside
    a form being filled in, does not."""
    url = reverse("search:autocomplete")
    header = client.get(url, {"q": "postgres"}, headers=HTMX).content.decode()
    assert "Search everything for" in header
    picker = client.get(
        url, {"q": "postgres", "for": "picker"}, headers=HTMX
    ).content.decode()
    assert 'role="option"' in picker
    assert "Search everything for" not in picker


def test_autocomplete_queries_do_not_grow(client, found, django_assert_max_num_queries):
    for n in range(10):
        make_tool(name=f"Postgres add-on {n}")
    with django_assert_max_num_queries(5):
        client.get(reverse("search:autocomplete"), {"q": "postgres"}, headers=HTMX)


def test_tool_pickers_send_their_field(client, found):
    response = client.get(reverse("search:autocomplete"), {"tool": "psotgres"})
    assert "PostgreSQL" in response.content.decode()


def test_unknown_filter_values_are_ignored_not_an_error(client, found):
    url = reverse("search:kind", kwargs={"kind": "tools"})
    response = client.get(url, {"q": "postgres", "layer": "no-such-layer"})
    assert response.status_code == 200
    assert found["postgres"].name in response.content.decode()


def test_posts_titled_or_tagged_come_newest_first_each_once(client, found):
    """The grouped page and "see all" merge posts titled with the query and
    posts tagging the tool it finds, newest first, each once."""
    postgres = found["postgres"]
    titled = make_decision(title="Postgres in production: a year on")
    both = make_decision(title="Postgres for our queue", chosen=[postgres])
    hidden = make_decision(title="Postgres secrets", is_hidden=True)
    # found["decision"] tags PostgreSQL; the three above are newer.
    page = search(client, "postgres").content.decode()
    shown = [page.index(post.title) for post in (both, titled)]
    assert shown == sorted(shown)
    assert page.count(both.get_absolute_url()) == 1
    assert hidden.title not in page
    url = reverse("search:kind", kwargs={"kind": "decisions"})
    page = client.get(url, {"q": "postgres"}).content.decode()
    order = [both, titled, found["decision"]]
    assert [page.index(post.title) for post in order] == sorted(
        page.index(post.title) for post in order
    )
    assert page.count(both.get_absolute_url()) == 1


def test_two_letters_find_names_that_start_with_them(client, db):
    """Two letters are inside too many names: they find the names that start
    with them; three find a name holding them anywhere."""
    starting = make_company(name="S3 Storage Partners")
    holding = make_company(name="Acmes3 Labs")
    member = make_member(username="s3fan", display_name="Sam")
    page = search(client, "s3").content.decode()
    assert starting.get_absolute_url() in page
    assert holding.get_absolute_url() not in page
    assert member.get_absolute_url() in page
    page = search(client, "es3").content.decode()
    assert holding.get_absolute_url() in page
    assert 'id="results-companies"' not in search(client, "s").content.decode()
