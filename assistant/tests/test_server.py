"""The MCP server, driven in memory through the SDK's own client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.answers import MAX_SCAN_MANIFESTS
from assistant.server import build_server
from assistant.tests.factories import make_catalog, make_move
from assistant.tests.session import Session
from decisions.tests.factories import make_decision
from stacks.services import refresh_tool_pairings
from stacks.tests.factories import make_company, make_stack
from stackups.services import resolve, stackup_for
from tools.models import ProConKind, UnknownPackage
from tools.services import add_procon
from tools.tests.factories import make_procon, make_tool

pytestmark = pytest.mark.django_db

SITE = "http://testserver.example"


@pytest.fixture
def catalog(settings):
    settings.SITE_URL = SITE
    return make_catalog()


def test_lists_every_tool_with_typed_input_and_output(mcp):
    """An assistant sees the eight read-only tools, each described, with
    an input schema that states its bounds and an output schema."""
    tools = {tool.name: tool for tool in mcp.list_tools()}
    assert set(tools) == {
        "search_tools",
        "get_tool",
        "compare_tools",
        "companies_using",
        "decisions_about",
        "migrations_from",
        "migrations_to",
        "scan_repository",
    }
    for tool in tools.values():
        assert len(tool.description) > 80
        assert tool.output_schema["type"] == "object"
        assert tool.annotations.read_only_hint is True
    slugs = tools["compare_tools"].input_schema["properties"]["slugs"]
    assert (slugs["minItems"], slugs["maxItems"]) == (2, 4)
    assert tools["search_tools"].input_schema["properties"]["limit"]["maximum"] == 25
    assert "url" in tools["get_tool"].output_schema["properties"]


def test_search_tools_ranks_like_the_site(mcp, catalog):
    """The closest name first, with its page; pending tools are not found."""
    answer = mcp.answer("search_tools", query="postgres")
    assert answer["tools"][0]["slug"] == "postgresql"
    assert answer["tools"][0]["url"] == f"{SITE}/tools/postgresql/"
    assert answer["tools"][0]["stack_count"] == 4
    assert answer["url"] == f"{SITE}/search/tools/?q=postgres"
    assert mcp.answer("search_tools", query="secretdb")["tools"] == []
    found = mcp.answer("search_tools", query="pypi:django", limit=1)["tools"]
    assert [tool["slug"] for tool in found] == ["django"]


def test_get_tool_tells_what_the_tool_page_tells(mcp, catalog):
    """Numbers, visible pros and cons, alternatives, users, posts and moves."""
    answer = mcp.answer("get_tool", slug="postgresql")
    assert answer["name"] == "PostgreSQL"
    assert answer["url"] == f"{SITE}/tools/postgresql/"
    assert answer["github_stars"] == 15000
    assert answer["description"] == "A database that takes SQL seriously."
    assert answer["pros"] == [{"text": "Rock solid under load", "votes": 5}]
    assert [con["text"] for con in answer["cons"]] == ["Vacuum needs tuning"]
    assert [alt["slug"] for alt in answer["alternatives"]] == ["mysql"]
    assert {c["name"] for c in answer["companies"]} >= {"Acme", "Globex"}
    assert [d["title"] for d in answer["decisions"]] == [
        "Which database for a small team?",
        "Why we chose PostgreSQL over MySQL",
    ]
    assert answer["came_from"][0]["from_tool"]["slug"] == "mysql"
    assert answer["came_from"][0]["teams"] == 2
    assert answer["came_from"][0]["url"] == f"{SITE}/migrations/mysql-to-postgresql/"
    assert answer["went_to"][0]["teams"] == 1


def test_get_tool_follows_an_old_slug(mcp, catalog):
    """A merged or renamed tool's old slug answers with the tool it became."""
    assert mcp.answer("get_tool", slug="Postgres")["slug"] == "postgresql"


def test_answers_hold_only_public_data(mcp, catalog):
    """No e-mail address, hidden point, hidden post or pending tool."""
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get_tool", {"slug": "postgresql"}),
        ("compare_tools", {"slugs": ["postgresql", "mysql"]}),
        ("decisions_about", {"slug": "postgresql"}),
        ("companies_using", {"slug": "postgresql"}),
        ("search_tools", {"query": "database"}),
    ]
    text = json.dumps([mcp.answer(name, **arguments) for name, arguments in calls])
    assert "ada@example.com" not in text
    assert "@example.com" not in text
    assert "Hidden remark" not in text
    assert "A post a moderator hid" not in text
    assert "secretdb" not in text.lower()
    assert "Ada Lovelace" in text


def test_compare_tools_answers_like_the_stackup_page(mcp, catalog):
    """Both tools with their points, the posts weighing them (those naming
    both first), the moves between them, and the stackup's address."""
    answer = mcp.answer("compare_tools", slugs=["postgresql", "MySQL"])
    assert answer["title"] == "MySQL vs PostgreSQL"
    assert answer["url"] == f"{SITE}/stackups/mysql-vs-postgresql/"
    assert [tool["slug"] for tool in answer["tools"]] == ["mysql", "postgresql"]
    assert answer["tools"][0]["pros"] == [
        {"text": "Everywhere on shared hosting", "votes": 2}
    ]
    assert [d["title"] for d in answer["decisions"]] == [
        "Which database for a small team?",
        "Why we chose PostgreSQL over MySQL",
    ]
    tags = answer["decisions"][1]["tools"]
    assert {(t["tool"]["slug"], t["role"]) for t in tags} == {
        ("postgresql", "chosen"),
        ("mysql", "considered"),
    }
    moves = {
        (m["from_tool"]["slug"], m["to_tool"]["slug"]): m["teams"]
        for m in answer["moves"]
    }
    assert moves == {("mysql", "postgresql"): 2, ("postgresql", "mysql"): 1}


def test_companies_using_one_tool_or_several(mcp, catalog):
    """Companies using a tool; with also_using, only those using all."""
    answer = mcp.answer("companies_using", slug="postgresql")
    assert {c["name"] for c in answer["companies"]} == {
        "Acme",
        "Globex",
        "Hooli",
        "Umbrella",
    }
    assert answer["url"] == f"{SITE}/companies/?tool=postgresql"
    both = mcp.answer("companies_using", slug="postgresql", also_using=["django"])
    assert [c["name"] for c in both["companies"]] == ["Acme"]
    assert both["companies"][0]["url"] == f"{SITE}/companies/acme/"
    assert [t["slug"] for t in both["tools"]] == ["postgresql", "django"]
    assert both["more"] is False
    one = mcp.answer("companies_using", slug="postgresql", limit=1)
    assert len(one["companies"]) == 1
    assert one["more"] is True


def test_decisions_about_a_tool_by_kind(mcp, catalog):
    """Visible posts tagging the tool, newest first, narrowed by kind."""
    answer = mcp.answer("decisions_about", slug="mysql")
    assert [d["title"] for d in answer["decisions"]] == [
        "Which database for a small team?",
        "Why we chose PostgreSQL over MySQL",
    ]
    decided = mcp.answer("decisions_about", slug="postgresql", kind="decided")
    assert [d["title"] for d in decided["decisions"]] == [
        "Why we chose PostgreSQL over MySQL"
    ]
    post = decided["decisions"][0]
    assert post["url"] == f"{SITE}{catalog['chose'].get_absolute_url()}"
    assert post["author"] == {
        "username": "ada",
        "display_name": "Ada Lovelace",
        "url": f"{SITE}/users/ada/",
    }
    assert decided["url"] == f"{SITE}/decisions/?tool=postgresql&kind=decided"


def test_decision_excerpt_is_cut(mcp, catalog):
    """A long post comes as the start of its text, not all of it."""
    make_decision(title="A long story", chosen=[catalog["django"]], body="word " * 400)
    post = mcp.answer("decisions_about", slug="django")["decisions"][0]
    assert len(post["excerpt"]) <= 501
    assert post["excerpt"].endswith("…")


def test_migrations_from_and_to(mcp, catalog):
    """Where teams went after a tool, and where they came from to it."""
    went = mcp.answer("migrations_from", slug="mysql")
    assert [(m["to_tool"]["slug"], m["teams"]) for m in went["moves"]] == [
        ("postgresql", 2)
    ]
    assert went["direction"] == "from"
    came = mcp.answer("migrations_to", slug="mysql")
    assert [(m["from_tool"]["slug"], m["teams"]) for m in came["moves"]] == [
        ("postgresql", 1)
    ]
    assert mcp.answer("migrations_from", slug="django")["moves"] == []


def test_scan_repository_matches_manifests_to_the_catalog(mcp, catalog, tmp_path):
    """The scanner reads the manifests; aliases name the catalog tools;
    the rest is reported as unknown and nothing is recorded."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("psycopg==3.2\nDjango>=5\nleftpad-xyz==1\n")
    answer = mcp.answer("scan_repository", path=str(repo))
    assert answer["files"] == ["requirements.txt"]
    found = {f["tool"]["slug"]: f["packages"] for f in answer["tools"]}
    assert found == {
        "django": ["pypi:Django (requirements.txt)"],
        "postgresql": ["pypi:psycopg (requirements.txt)"],
    }
    assert answer["unknown"] == ["pypi:leftpad-xyz"]
    assert not UnknownPackage.objects.exists()


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("get_tool", {"slug": "postgresq"}, "Did you mean: postgresql (PostgreSQL)?"),
        ("get_tool", {"slug": "secretdb"}, "No tool in the catalog has the slug"),
        ("compare_tools", {"slugs": ["a", "b", "c", "d", "e"]}, "at most 4 items"),
        ("compare_tools", {"slugs": ["postgresql"]}, "at least 2 items"),
        ("compare_tools", {"slugs": ["postgresql", "nope"]}, "no tool called “nope”"),
        ("compare_tools", {"slugs": ["mysql", "mysql"]}, "appears twice"),
        ("search_tools", {"query": "db", "limit": 10_000}, "less than or equal to 25"),
        ("search_tools", {"query": "x" * 5000}, "at most 100 characters"),
        ("companies_using", {"slug": "nope"}, "No tool in the catalog"),
        (
            "companies_using",
            {"slug": "mysql", "also_using": ["a", "b", "c", "d"]},
            "at most 3 items",
        ),
        ("decisions_about", {"slug": "mysql", "kind": "rant"}, "decided"),
        ("migrations_to", {"slug": "mysql", "limit": 0}, "greater than or equal to 1"),
        (
            "scan_repository",
            {"path": "/etc"},
            "outside the folders this server may scan",
        ),
        ("scan_repository", {"path": "repo"}, "not an absolute path"),
        ("scan_repository", {"path": "/no/such/folder"}, "does not exist"),
    ],
)
def test_bad_arguments_are_clear_tool_errors(mcp, catalog, name, arguments, message):
    """Each mistake comes back as a tool error saying what is wrong."""
    assert message in mcp.error(name, **arguments)


def test_scan_repository_refuses_files_links_out_and_huge_folders(mcp, tmp_path):
    """A file is not a folder; a link out of the roots is followed and
    refused; a folder with too many manifests is refused before reading."""
    (tmp_path / "file.txt").write_text("hello")
    assert "is not a folder" in mcp.error(
        "scan_repository", path=str(tmp_path / "file.txt")
    )
    (tmp_path / "out").symlink_to("/etc")
    assert "outside the folders" in mcp.error(
        "scan_repository", path=str(tmp_path / "out")
    )
    big = tmp_path / "big"
    for n in range(MAX_SCAN_MANIFESTS + 1):
        (big / f"p{n}").mkdir(parents=True)
        (big / f"p{n}" / "package.json").write_text("{}")
    assert "too much to scan" in mcp.error("scan_repository", path=str(big))


def test_scanning_is_off_without_roots(db, tmp_path):
    """A server started without scan roots reads no folder at all."""
    message = Session(build_server(scan_roots=[])).error(
        "scan_repository", path=str(tmp_path)
    )
    assert "Scanning is off" in message


CALLS = [
    # resolve the ranking (keys; text matches; typo candidates and the
    # tools of those within reach), the page
    ("search_tools", {"query": "postgres"}, 5),
    # the tool; pros and cons; alternatives (2); companies and members (2);
    # aliases; posts and their tags (2); pairings; moves, trend and standing
    # (rings and outcomes) (3); stackups and their tools (2)
    ("get_tool", {"slug": "postgresql"}, 15),
    # the tools; pros and cons; posts and their tags (2); moves; pairings (2)
    ("compare_tools", {"slugs": ["postgresql", "mysql"]}, 7),
    # the two tools; the companies
    ("companies_using", {"slug": "postgresql", "also_using": ["django"]}, 3),
    # the tool; posts and their tags
    ("decisions_about", {"slug": "postgresql"}, 3),
    # the tool; the grouped moves
    ("migrations_from", {"slug": "mysql"}, 2),
    ("migrations_to", {"slug": "postgresql"}, 2),
]


@pytest.mark.parametrize(("name", "arguments", "budget"), CALLS)
def test_query_budget_per_call_does_not_grow(
    mcp,
    catalog,
    django_assert_num_queries,
    django_assert_max_num_queries,
    name,
    arguments,
    budget,
):
    """Each call costs the same number of queries, however much data there
    is (the catalog fills every section, so no query is skipped for want of
    rows); a search at most its budget, as it looks for typos only when
    few names match."""
    within = (
        django_assert_max_num_queries
        if name == "search_tools"
        else django_assert_num_queries
    )
    with within(budget):
        mcp.answer(name, **arguments)
    postgres, mysql, django = catalog["postgres"], catalog["mysql"], catalog["django"]
    for n in range(10):
        company = make_company(name=f"Extra {n}")
        make_stack(company=company, tools=[postgres, mysql, django])
        make_decision(title=f"Extra post {n}", chosen=[postgres], considered=[mysql])
        make_procon(tool=postgres, text=f"Extra point {n}")
        other = make_tool(name=f"Postgres extra {n}", function=postgres.function)
        make_move(postgres, other, company_name=f"M{n}")
        stackup_for(resolve(f"postgresql-vs-{other.slug}"))
    refresh_tool_pairings()
    with within(budget):
        mcp.answer(name, **arguments)


def test_scan_query_budget(mcp, catalog, tmp_path, django_assert_max_num_queries):
    """A scan costs the matcher's queries: aliases and named tools."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("psycopg\ndjango\n")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    services:\n      db:\n        image: postgres:16\n"
    )
    with django_assert_max_num_queries(2):
        mcp.answer("scan_repository", path=str(repo))


def test_answers_are_kept_until_their_page_changes(
    mcp,
    catalog,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """With caching on, a repeated call costs no query; a new point on the
    tool bumps its pages' version, and the next answers show it."""
    settings.PAGE_CACHE_SECONDS = 300
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get_tool", {"slug": "mysql"}),
        ("compare_tools", {"slugs": ["mysql", "postgresql"]}),
        ("migrations_from", {"slug": "mysql"}),
        ("search_tools", {"query": "mysql"}),
        ("companies_using", {"slug": "mysql"}),
        ("decisions_about", {"slug": "mysql"}),
    ]
    for name, arguments in calls:
        mcp.answer(name, **arguments)
        with django_assert_num_queries(0 if name == "search_tools" else 1):
            mcp.answer(name, **arguments)  # the slugs are still looked up
    with django_capture_on_commit_callbacks(execute=True):
        add_procon(
            tool=catalog["mysql"],
            kind=ProConKind.PRO,
            text="Fast to start",
            author=catalog["author"],
        )
    assert "Fast to start" in {
        p["text"] for p in mcp.answer("get_tool", slug="mysql")["pros"]
    }
    compared = mcp.answer("compare_tools", slugs=["mysql", "postgresql"])
    assert "Fast to start" in {p["text"] for p in compared["tools"][0]["pros"]}
    with django_capture_on_commit_callbacks(execute=True):
        make_stack(company=make_company(name="Newco"), tools=[catalog["mysql"]])
        make_decision(title="Why we kept MySQL", chosen=[catalog["mysql"]])
    assert "Newco" in {
        c["name"] for c in mcp.answer("companies_using", slug="mysql")["companies"]
    }
    assert "Why we kept MySQL" in {
        d["title"] for d in mcp.answer("decisions_about", slug="mysql")["decisions"]
    }
