"""The read API: what it shows, what it never shows, pages, caching headers, budgets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import make_member
from api.services import create_token
from decisions.tests.factories import make_comment, make_decision
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_alias, make_category, make_tool

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_tools_are_listed_in_keyset_pages_that_cover_every_tool_once(client):
    function = make_category(name="Web frameworks")
    for n in range(7):
        make_tool(name=f"Framework {n}", function=function)
    seen = []
    url = "/api/v1/tools/?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [tool["slug"] for tool in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(f"framework-{n}" for n in range(7))
    assert len(seen) == 7


def test_tool_list_filters_by_function_and_sorts_by_stacks(client):
    web = make_category(name="Web frameworks")
    queues = make_category(name="Queues")
    django = make_tool(name="Django", function=web)
    make_tool(name="Flask", function=web)
    make_tool(name="RabbitMQ", function=queues)
    make_stack(tools=[django])
    body = client.get("/api/v1/tools/?function=web-frameworks&sort=stacks").json()
    assert [t["slug"] for t in body["results"]] == ["django", "flask"]
    assert body["results"][0]["stack_count"] == 1
    assert body["results"][0]["layer"] == "web-frameworks-layer"


def test_unknown_filter_values_are_a_problem_not_a_server_error(client):
    response = client.get("/api/v1/tools/?function=nope&sort=sideways")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_a_bad_cursor_is_a_400_problem(client):
    response = client.get("/api/v1/tools/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert response.json()["title"] == "Bad Request"


def test_search_uses_the_site_ranking(client):
    make_tool(name="PostgreSQL")
    make_tool(name="Redis")
    body = client.get("/api/v1/tools/?q=postgres").json()
    assert [t["slug"] for t in body["results"]][:1] == ["postgresql"]


def test_tool_detail_shows_aliases_alternatives_and_successor(client):
    new = make_tool(name="Ruff")
    old = make_tool(name="Flake8", is_deprecated=True, successor=new)
    make_alias(tool=old, package="pypi:flake8")
    old.alternative_links.create(alternative=new)
    body = client.get("/api/v1/tools/flake8/").json()
    assert body["successor"] == {"slug": "ruff", "name": "Ruff"}
    assert body["aliases"] == [{"ecosystem": "pypi", "name": "flake8"}]
    assert body["alternatives"] == [{"slug": "ruff", "name": "Ruff"}]


def test_unknown_and_unapproved_tools_are_404_problems(client):
    make_tool(name="Pending", status="pending")
    for url in ("/api/v1/tools/pending/", "/api/v1/tools/nothing/", "/api/v1/nowhere/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_etag_answers_304_until_the_tool_changes(client):
    tool = make_tool(name="Django")
    first = client.get("/api/v1/tools/django/")
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = get(client, "/api/v1/tools/django/", if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    tool.tagline = "The web framework for perfectionists"
    tool.save()
    changed = get(client, "/api/v1/tools/django/", if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed["Last-Modified"]


def test_stack_shows_entries_with_provenance_and_its_history(client):
    django = make_tool(name="Django")
    stack = make_stack(name="Main product", tools=[django])
    body = client.get(f"/api/v1/stacks/{stack.slug}/").json()
    assert body["items"][0]["tool"]["slug"] == "django"
    assert body["items"][0]["provenance"] == "manual"
    history = client.get(f"/api/v1/stacks/{stack.slug}/history/").json()
    assert [(e["tool"], e["action"]) for e in history["results"]] == [
        ("django", "added")
    ]


def test_nothing_private_appears(client):
    author = make_member(username="ada", email="ada@example.com")
    decision = make_decision(author=author)
    make_comment(decision=decision, author=author)
    hidden = make_decision(author=author, is_hidden=True, hidden_reason="spam reports")
    make_company(owner=author)
    urls = [
        "/api/v1/decisions/",
        f"/api/v1/decisions/{decision.pk}/",
        f"/api/v1/decisions/{decision.pk}/comments/",
        "/api/v1/members/ada/",
        "/api/v1/companies/",
    ]
    for url in urls:
        text = client.get(url).content.decode()
        assert "ada@example.com" not in text, url
        assert "spam reports" not in text, url
        assert "feed_key" not in text, url
        assert "is_suspended" not in text, url
    assert client.get(f"/api/v1/decisions/{hidden.pk}/").status_code == 404


def test_stackup_needs_two_to_four_known_tools(client):
    make_tool(name="Django")
    make_tool(name="Rails")
    assert client.get("/api/v1/stackups/?tools=django").status_code == 400
    assert client.get("/api/v1/stackups/?tools=django,nope").status_code == 400
    body = client.get("/api/v1/stackups/?tools=django,rails").json()
    assert [t["slug"] for t in body["tools"]] == ["django", "rails"]


@pytest.mark.parametrize("with_token", [False, True], ids=["anonymous", "token"])
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/api/v1/tools/?page_size={n}", 2),
        ("/api/v1/tools/?function=web-frameworks&page_size={n}", 2),
        ("/api/v1/tools/?sort=trending&page_size={n}", 2),
        ("/api/v1/tools/?q=framework&page_size={n}", 5),
        ("/api/v1/tools/django/", 5),
        ("/api/v1/stackups/?tools=framework-0,framework-1", 2),
        ("/api/v1/categories/", 1),
        ("/api/v1/companies/?page_size={n}", 1),
        ("/api/v1/companies/{c}/", 1),
        ("/api/v1/stacks/?page_size={n}", 1),
        ("/api/v1/stacks/{s}/", 2),
        ("/api/v1/stacks/{s}/history/?page_size={n}", 2),
        ("/api/v1/decisions/?page_size={n}", 2),
        ("/api/v1/decisions/{d}/", 2),
        ("/api/v1/decisions/{d}/comments/?page_size={n}", 2),
        ("/api/v1/members/{m}/", 1),
    ],
)
def test_query_budget_does_not_grow_with_page_size(
    client, member, url, budget, with_token
):
    """The same queries for a page of 2 rows or of 10, under a fixed budget.

    A token costs one query more (finding it); noting its use is written
    at most once a minute, so the warm-up request takes that one.
    """
    web = make_category(name="Web frameworks")
    tools = [make_tool(name=f"Framework {n}", function=web) for n in range(12)]
    make_tool(name="Django", function=web)
    company = make_company()
    main = make_stack(name="Main", company=company, tools=tools)
    for _ in range(3):
        make_stack(tools=tools[:2])
    decision = None
    for n in range(4):
        decision = make_decision(chosen=tools[n : n + 2])
        make_comment(decision=decision)
    headers = {}
    if with_token:
        _, secret = create_token(user=member, name="Reader", scopes=["read"])
        headers["Authorization"] = f"Bearer {secret}"
    fill = {"d": decision.pk, "s": main.slug, "c": company.slug, "m": "ada"}
    client.get(url.format(n=1, **fill), headers=headers)
    counts = []
    for n in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(n=n, **fill), headers=headers)
        assert response.status_code == 200, response.content
        counts.append(len(queries))
    assert counts[0] == counts[1], (url, counts)
    assert counts[1] <= budget + with_token, (url, [q["sql"] for q in queries])


def test_schema_is_openapi_3_1_and_docs_load_from_our_static_files(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    assert "/api/v1/tools/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
    # No inline script: the set-up script is loaded from this address.
    assert "?script=" in html
    # A page of the site: its header, and where to get a token.
    assert 'class="site-header' in html
    assert 'href="/settings/tokens/"' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    # A page, not an endpoint: other methods are refused, never a 500.
    assert client.options("/api/docs/").status_code == 405


def test_anonymous_tool_reads_are_cached_until_the_tool_changes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    tool = make_tool(name="Django")
    first = client.get("/api/v1/tools/django/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(
            "/api/v1/tools/django/", headers={"If-None-Match": first["ETag"]}
        )
    assert again.status_code == 304
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/tools/django/").json()["slug"] == "django"
    assert len(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        make_stack(tools=[tool])
    # Every copy says "revalidate" (no-cache), so a client or proxy holding
    # the old answer asks again and gets the new one at once.
    changed = client.get(
        "/api/v1/tools/django/", headers={"If-None-Match": first["ETag"]}
    )
    assert changed.status_code == 200
    assert changed.json()["stack_count"] == 1
    assert changed["ETag"] != first["ETag"]
    for response in (first, again, changed):
        assert response["Cache-Control"] == "public, no-cache"
    # Since the tool row itself did not change, a date alone never gets a 304.
    dated = client.get(
        "/api/v1/tools/django/",
        headers={"If-Modified-Since": first["Last-Modified"]},
    )
    assert dated.status_code == 200
    signed = client.get("/api/v1/tools/nothing/")
    assert signed.status_code == 404


def test_a_search_that_finds_nothing_is_an_empty_page(client):
    make_tool(name="Django")
    body = client.get("/api/v1/tools/?q=zzzzqqqq").json()
    assert body == {"next": None, "results": []}


def test_hostile_input_under_api_is_a_problem(client):
    response = client.get("/api/v1/tools/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_decision_kind_is_a_400_problem(client):
    make_decision(chosen=[make_tool(name="Django")])
    response = client.get("/api/v1/decisions/?kind=sideways")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "kind" in response.json()["errors"]
    assert len(client.get("/api/v1/decisions/?kind=decided").json()["results"]) == 1
