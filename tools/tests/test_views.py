from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member
from decisions.tests.factories import make_decision
from stacks.tests.factories import make_stack
from stackups.services import resolve, stackup_for
from tools import services
from tools.models import Alternative, ProCon, Tool, ToolRedirect
from tools.tests.factories import make_category, make_procon, make_tool

HTMX = {"HX-Request": "true"}


@pytest.fixture
def tree(db):
    """Application & Data > Languages & Frameworks > Microframeworks, plus a DevOps function."""
    layer = make_category(
        name="Application & Data", level=1, slug="application-and-data"
    )
    group = make_category(
        name="Languages & Frameworks", parent=layer, slug="languages-and-frameworks"
    )
    micro = make_category(name="Microframeworks", parent=group, slug="microframeworks")
    devops = make_category(name="DevOps", level=1, slug="devops")
    ci = make_category(
        name="Continuous Integration", parent=make_category(name="CI/CD", parent=devops)
    )
    return {"layer": layer, "group": group, "micro": micro, "devops": devops, "ci": ci}


# The catalog ------------------------------------------------------------------


def test_catalog_lists_approved_tools_only(client, tree):
    make_tool(name="Flask", function=tree["micro"])
    make_tool(name="Secret", function=tree["micro"], status="pending")
    content = client.get(reverse("tools:list")).content.decode()
    assert "Flask" in content
    assert "Secret" not in content


def test_catalog_filters_by_layer_and_sorts_by_stars(client, tree):
    make_tool(name="Flask", function=tree["micro"], github_stars=100)
    make_tool(name="Bottle", function=tree["micro"], github_stars=900)
    make_tool(name="Jenkins", function=tree["ci"], github_stars=5000)
    response = client.get(
        reverse("tools:list"), {"layer": "application-and-data", "sort": "stars"}
    )
    names = [tool.name for tool in response.context["page"]]
    assert names == ["Bottle", "Flask"]


def test_catalog_htmx_request_gets_only_the_results(client, tree):
    make_tool(name="Flask", function=tree["micro"])
    response = client.get(reverse("tools:list"), {"sort": "newest"}, headers=HTMX)
    content = response.content.decode()
    assert "Flask" in content
    assert "<html" not in content


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "bogus"},
        {"layer": "no-such-layer"},
        {"open_source": "maybe"},
        {"page": "9999"},
        {"page": "abc"},
    ],
)
def test_catalog_bad_parameters_give_a_sensible_page(client, tree, params):
    """Unknown filter or sort values and odd pages never give a 500."""
    make_tool(name="Flask", function=tree["micro"])
    response = client.get(reverse("tools:list"), params)
    assert response.status_code == 200
    assert (
        "Flask" in response.content.decode()
        or "Select a valid choice" in response.content.decode()
    )


def test_catalog_query_count_is_flat(client, tree, django_assert_num_queries):
    """The catalog costs the same few queries for 1 or 30 tools."""
    make_tool(function=tree["micro"])
    # categories, licences, count, page of tools (with their category path)
    with django_assert_num_queries(4):
        client.get(reverse("tools:list"), {"sort": "trending"})
    for _ in range(30):
        make_tool(function=tree["micro"], license="MIT")
    with django_assert_num_queries(4):
        client.get(reverse("tools:list"), {"sort": "trending"})


def test_category_page_shows_breadcrumb_children_and_tools(
    client, tree, django_assert_num_queries
):
    flask = make_tool(name="Flask", function=tree["micro"])
    make_tool(name="Bottle", function=tree["micro"])
    make_stack(owner_user=make_member(), tools=[flask])
    # category with ancestors, children, child tool counts, count, page of
    # tools; its rising and declining tools (changes app): whether their
    # recent sums are current, the first few, which are approved, names
    with django_assert_num_queries(8):
        response = client.get(
            reverse("tools:category", args=["languages-and-frameworks"])
        )
    content = response.content.decode()
    assert "Application &amp; Data" in content
    assert "Microframeworks" in content
    assert response.context["children"][0].tool_count == 2
    assert "Flask" in content
    assert [mover.name for mover in response.context["movers"].rising] == ["Flask"]


def test_unknown_category_is_a_404(client, db):
    assert client.get(reverse("tools:category", args=["nope"])).status_code == 404


# The tool page ---------------------------------------------------------------


def test_tool_page_shows_stats_breadcrumb_and_procons(client, tree):
    flask = make_tool(
        name="Flask",
        function=tree["micro"],
        description="**Small** core. <script>alert(1)</script>",
        github_stars=70512,
        github_forks=16533,
        repository_url="https://github.com/pallets/flask",
        license="BSD-3-Clause",
    )
    make_procon(tool=flask, text="Tiny and readable", vote_count=12)
    make_procon(tool=flask, text="Few batteries", kind="con", vote_count=3)
    make_procon(tool=flask, text="Hidden point", is_hidden=True)
    response = client.get(flask.get_absolute_url())
    content = response.content.decode()
    for text in [
        "Flask",
        "Microframeworks",
        "Languages &amp; Frameworks",
        "70,512",
        "16,533",
        "BSD-3-Clause",
        "Tiny and readable",
        "Few batteries",
        "<strong>Small</strong>",
    ]:
        assert text in content, text
    assert "<script>alert(1)" not in content
    assert "Hidden point" not in content


def test_tool_page_shows_the_top_cons_of_a_tool_with_many_more_pros(
    client, tree, django_assert_num_queries
):
    """The page reads a tool's first points in vote order: a kind that none of
    them hold is read on its own, in one more query, and still shown."""
    flask = make_tool(name="Flask", function=tree["micro"])
    for votes in range(60):
        make_procon(tool=flask, text=f"Pro voted {votes}", vote_count=votes + 10)
    make_procon(tool=flask, text="Con voted 2", kind="con", vote_count=2)
    make_procon(tool=flask, text="Con voted 1", kind="con", vote_count=1)
    make_procon(tool=flask, text="Hidden con", kind="con", is_hidden=True)
    with django_assert_num_queries(10):
        content = client.get(flask.get_absolute_url()).content.decode()
    pros = [f"Pro voted {votes}" for votes in (59, 58, 57, 56, 55)]
    shown = [content.index(text) for text in [*pros, "Con voted 2", "Con voted 1"]]
    assert shown == sorted(shown)
    assert "Pro voted 54" not in content
    assert "Hidden con" not in content


def test_tool_page_query_budget_is_flat(member_client, tree, django_assert_num_queries):
    """The tool page stays within its budget however many pros, cons and alternatives."""
    flask = make_tool(name="Flask", function=tree["micro"])
    make_procon(tool=flask)
    stackup_for(resolve(f"{flask.slug}-vs-{make_tool().slug}"))
    make_decision(chosen=[flask])
    url = flask.get_absolute_url()
    # What every reader sees (cached in production, see stackshare.caching): tool
    # (+category path, whether its alternatives are curated, its standing:
    # hold/trial counts and outcomes, changes app, whether it is in a
    # stackup or a move), pros and cons, alternatives (curated, else the
    # function's), aliases, latest decisions (with authors), their tagged
    # tools, companies using it, members using it, often used with, the
    # monthly stacks count, stackups, their tools (no moves: it has none).
    # Then the reader: session, user, follow, vote and mute, their votes on
    # points.
    with django_assert_num_queries(16):
        member_client.get(url)
    for i in range(10):
        other = make_tool(function=tree["micro"])
        Alternative.objects.create(tool=flask, alternative=other)
        make_procon(tool=flask, text=f"pro {i}")
        make_procon(tool=flask, text=f"con {i}", kind="con")
        make_decision(chosen=[other], considered=[flask])
    with django_assert_num_queries(16):
        member_client.get(url)


def test_tool_page_lists_curated_alternatives_most_used_first(client, tree):
    """Curated alternatives replace the function's tools; one that is not
    approved is left out, and a tool whose curated ones are all unapproved
    falls back to its function's."""
    flask = make_tool(name="Flask", function=tree["micro"])
    make_tool(name="Bottle", function=tree["micro"], stack_count=50)
    for name, stacks in [("Django", 5), ("FastAPI", 9)]:
        curated = make_tool(name=name, function=tree["ci"], stack_count=stacks)
        Alternative.objects.create(tool=flask, alternative=curated)
    pending = make_tool(name="Pending", function=tree["ci"], status="pending")
    Alternative.objects.create(tool=flask, alternative=pending)
    response = client.get(flask.get_absolute_url())
    assert [t.name for t in response.context["alternatives"]] == ["FastAPI", "Django"]
    assert response.context["alternatives_curated"]

    Alternative.objects.filter(tool=flask).exclude(alternative=pending).delete()
    response = client.get(flask.get_absolute_url())
    assert [t.name for t in response.context["alternatives"]] == ["Bottle"]
    assert not response.context["alternatives_curated"]


def test_alternatives_fall_back_to_the_same_function(client, tree):
    flask = make_tool(name="Flask", function=tree["micro"])
    make_tool(name="Bottle", function=tree["micro"], stack_count=5)
    make_tool(name="Jenkins", function=tree["ci"])
    response = client.get(reverse("tools:alternatives", args=["flask"]))
    assert [t.name for t in response.context["alternatives"]] == ["Bottle"]
    assert not response.context["alternatives_curated"]
    assert flask


def test_deprecated_tool_links_to_its_successor(client, tree, moderator):
    old = make_tool(name="TSLint", function=tree["micro"])
    new = make_tool(name="ESLint", function=tree["micro"])
    services.deprecate_tool(tool=old, successor=new, actor=moderator)
    content = client.get(old.get_absolute_url()).content.decode()
    assert "deprecated" in content.lower()
    assert new.get_absolute_url() in content


def test_merged_tool_slug_redirects_permanently(client, tree):
    tool = make_tool(name="PostgreSQL", function=tree["micro"])
    ToolRedirect.objects.create(old_slug="postgres", tool=tool)
    response = client.get(reverse("tools:detail", args=["postgres"]))
    assert response.status_code == 301
    assert response.url == tool.get_absolute_url()


def test_pending_tool_page_is_a_404(client, tree):
    tool = make_tool(name="Pending", function=tree["micro"], status="pending")
    assert client.get(tool.get_absolute_url()).status_code == 404


# Member actions ---------------------------------------------------------------


def test_anonymous_follow_is_sent_to_log_in_and_back(client, tree):
    tool = make_tool(name="Flask", function=tree["micro"])
    response = client.post(reverse("tools:follow", args=["flask"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/tools/flask/follow/" in response.url
    tool.refresh_from_db()
    assert tool.follower_count == 0


def test_follow_and_vote_update_in_place(member_client, tree):
    tool = make_tool(name="Flask", function=tree["micro"])
    response = member_client.post(
        reverse("tools:follow", args=["flask"]), {"state": "on"}, headers=HTMX
    )
    assert "<html" not in response.content.decode()
    assert "Following" in response.content.decode()
    response = member_client.post(
        reverse("tools:vote", args=["flask"]), {"state": "on"}, headers=HTMX
    )
    tool.refresh_from_db()
    assert (tool.follower_count, tool.vote_count) == (1, 1)
    member_client.post(reverse("tools:vote", args=["flask"]), {"state": "off"})
    tool.refresh_from_db()
    assert tool.vote_count == 0


def test_follow_needs_post(member_client, tree):
    make_tool(name="Flask", function=tree["micro"])
    assert member_client.get(reverse("tools:follow", args=["flask"])).status_code == 405


def test_add_procon_and_refuse_bad_ones(member_client, tree):
    """A member adds a pro; an empty, over-long or duplicate one gets a clear 400."""
    tool = make_tool(name="Flask", function=tree["micro"])
    url = reverse("tools:procon_add", args=["flask"])
    response = member_client.post(url, {"kind": "pro", "text": "Easy to learn"})
    assert response.status_code == 302
    assert ProCon.objects.filter(tool=tool, text="Easy to learn").exists()
    for text, message in [
        ("", "This field is required"),
        ("x" * 141, "at most 140 characters"),
        ("easy to learn!", "already listed"),
    ]:
        response = member_client.post(url, {"kind": "pro", "text": text})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert ProCon.objects.filter(tool=tool).count() == 1


def test_procon_vote_toggles(member_client, tree):
    procon = make_procon(tool=make_tool(name="Flask", function=tree["micro"]))
    url = reverse("tools:procon_vote", args=[procon.pk])
    member_client.post(url, {"state": "on"}, headers=HTMX)
    member_client.post(url, {"state": "on"}, headers=HTMX)
    procon.refresh_from_db()
    assert procon.vote_count == 1
    member_client.post(url, {"state": "off"})
    procon.refresh_from_db()
    assert procon.vote_count == 0


def test_submission_shows_likely_duplicates_first(member_client, tree):
    """Submitting a tool that looks like an existing one asks before saving."""
    make_tool(
        name="Flask",
        function=tree["micro"],
        website="https://flask.palletsprojects.com/",
    )
    data = {
        "name": "Flask framework",
        "website": "https://flask.palletsprojects.com/en/latest/",
        "repository_url": "",
        "function": tree["micro"].pk,
        "tagline": "Small Python web framework",
        "description": "",
    }
    response = member_client.post(reverse("tools:create"), data)
    assert response.status_code == 200
    assert "Flask" in [t.name for t in response.context["duplicates"]]
    assert not Tool.objects.filter(name="Flask framework").exists()
    response = member_client.post(reverse("tools:create"), {**data, "confirm": "yes"})
    assert response.status_code == 302
    assert Tool.objects.get(name="Flask framework").status == "pending"


def test_empty_submission_is_refused(member_client, tree):
    response = member_client.post(reverse("tools:create"), {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert Tool.objects.count() == 0


def test_member_follows_a_category_in_place_and_counts_stay_exact(
    member_client, member, tree
):
    url = reverse("tools:category_follow", args=[tree["group"].slug])
    response = member_client.post(url, {"state": "on"}, headers=HTMX)
    assert "Following" in response.content.decode()
    member_client.post(url, {"state": "on"}, headers=HTMX)  # a double click
    tree["group"].refresh_from_db()
    assert tree["group"].follower_count == 1
    member_client.post(url, {"state": "off"})
    tree["group"].refresh_from_db()
    assert tree["group"].follower_count == 0


def test_anonymous_reader_cannot_follow_a_category(client, tree):
    response = client.post(reverse("tools:category_follow", args=[tree["group"].slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    tree["group"].refresh_from_db()
    assert tree["group"].follower_count == 0


def test_member_mutes_and_unmutes_a_tool(member_client, member, tree):
    tool = make_tool(name="Flask", function=tree["micro"])
    url = reverse("tools:mute", args=["flask"])
    response = member_client.post(url, {"state": "on"}, headers=HTMX)
    assert "Muted" in response.content.decode()
    assert member.tool_mutes.filter(tool=tool).exists()
    # The tool page remembers it: its button now offers to unmute.
    page = member_client.get(tool.get_absolute_url())
    assert page.context["is_muted"] is True
    assert "Show its news in your feed again" in page.content.decode()
    member_client.post(url, {"state": "off"})
    assert not member.tool_mutes.exists()


def test_own_point_shows_no_vote_button_and_refuses_a_vote(client, member, tree):
    """Its author sees the count on a disabled button; a forged vote gets a 400
    with the reason, and the count stays."""
    tool = make_tool(name="Flask", function=tree["micro"])
    own = make_procon(tool=tool, text="Tiny core", author=member)
    other = make_procon(tool=tool, text="Great docs")
    client.force_login(member)
    content = client.get(tool.get_absolute_url()).content.decode()
    assert reverse("tools:procon_vote", args=[other.pk]) in content
    assert reverse("tools:procon_vote", args=[own.pk]) not in content
    assert 'aria-label="Your point (0 votes)"' in content
    url = reverse("tools:procon_vote", args=[own.pk])
    response = client.post(url, {"state": "on"})
    assert response.status_code == 400
    assert (
        "You cannot vote for a point you added yourself." in response.content.decode()
    )
    response = client.post(url, {"state": "on"}, headers=HTMX)
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert response["HX-Retarget"] == "#main"
    own.refresh_from_db()
    assert own.vote_count == 0


def test_own_points_do_not_leak_into_another_readers_page(
    client, member, other_member, tree, settings
):
    """The kept tool page is shared by readers in the same state; whose points
    are whose is part of that state."""
    settings.PAGE_CACHE_SECONDS = 300
    tool = make_tool(name="Flask", function=tree["micro"])
    own = make_procon(tool=tool, text="Tiny core", author=member)
    url = reverse("tools:procon_vote", args=[own.pk])
    client.force_login(member)
    assert url not in client.get(tool.get_absolute_url()).content.decode()
    client.force_login(other_member)
    assert url in client.get(tool.get_absolute_url()).content.decode()
    client.force_login(member)
    assert url not in client.get(tool.get_absolute_url()).content.decode()
