from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import ModerationAction, ModerationEvent
from stackups.models import Stackup
from stackups.services import edit_differences, resolve, stackup_for
from tools import services
from tools.models import Alternative, ToolRedirect
from tools.tests.factories import make_category, make_procon, make_tool

HTMX = {"HX-Request": "true"}


@pytest.fixture
def tools(db):
    """Flask and Django in Application & Data, Rust and Go in a languages function."""
    layer = make_category(name="Application & Data", level=1)
    group = make_category(name="Languages & Frameworks", parent=layer)
    micro = make_category(name="Microframeworks", parent=group)
    languages = make_category(name="Languages", parent=group)
    return {
        "flask": make_tool(name="Flask", function=micro, github_stars=70_000),
        "django": make_tool(name="Django", function=micro),
        "rust": make_tool(name="Rust", function=languages, github_stars=100_000),
        "go": make_tool(name="Go", slug="golang", function=languages),
    }


def stackup_url(*slugs: str, tab: str | None = None) -> str:
    if tab:
        return reverse("stackups:tab", args=["-vs-".join(slugs), tab])
    return reverse("stackups:detail", args=["-vs-".join(slugs)])


# The address ------------------------------------------------------------------


def test_canonical_stackup_shows_both_tools_and_the_breadcrumb(client, tools):
    response = client.get(stackup_url("flask", "rust"))
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r"<title>\s*Flask vs Rust \| stackshare\s*</title>", content)
    assert 'rel="canonical" href="http://testserver/stackups/flask-vs-rust/"' in content
    assert 'property="og:title" content="Flask vs Rust"' in content
    assert '"@type": "BreadcrumbList"' in content
    # Stackups > Application & Data > Languages & Frameworks > Microframeworks > Flask vs Rust
    assert [node.name for node in response.context["breadcrumb"]] == [
        "Application & Data",
        "Languages & Frameworks",
        "Microframeworks",
    ]
    assert "70,000" in content
    assert "100,000" in content


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("rust-vs-flask", "flask-vs-rust"),
        ("Rust-vs-FLASK", "flask-vs-rust"),
        ("rust-vs-golang-vs-flask", "flask-vs-golang-vs-rust"),
    ],
)
def test_other_orders_and_cases_redirect_permanently(client, tools, address, canonical):
    response = client.get(reverse("stackups:detail", args=[address]))
    assert response.status_code == 301
    assert response["Location"] == reverse("stackups:detail", args=[canonical])


def test_tab_keeps_its_tab_when_redirected(client, tools):
    response = client.get(reverse("stackups:tab", args=["rust-vs-flask", "comparison"]))
    assert response.status_code == 301
    assert response["Location"] == stackup_url("flask", "rust", tab="comparison")


def test_merged_tool_slug_redirects_to_the_survivor(client, tools):
    ToolRedirect.objects.create(old_slug="flask-old", tool=tools["flask"])
    response = client.get(stackup_url("flask-old", "rust"))
    assert response["Location"] == stackup_url("flask", "rust")


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("flask", "at least two tools"),
        ("flask-vs-flask", "appears twice"),
        ("flask-vs-nothing", "no tool called “nothing”"),
        ("flask-vs-rust-vs-django-vs-golang-vs-extra", "at most 4 tools"),
        ("flask-vs-" + "a" * 2000, "too long"),
        ("flask-vs-rust%3Cscript%3E", "is not a tool address"),
    ],
)
def test_impossible_comparisons_are_a_helpful_404(client, tools, address, message):
    response = client.get(f"/stackups/{address}/")
    assert response.status_code == 404
    content = response.content.decode()
    assert message in content
    assert 'action="/search/"' in content
    assert "<script>" not in content.split("</head>")[1]


def test_unapproved_tool_cannot_be_compared(client, tools):
    make_tool(name="Hidden", status="pending")
    response = client.get(stackup_url("flask", "hidden"))
    assert response.status_code == 404


def test_unknown_tab_is_a_404_that_links_to_the_overview(client, tools):
    response = client.get(stackup_url("flask", "rust", tab="nonsense"))
    assert response.status_code == 404
    assert stackup_url("flask", "rust") in response.content.decode()


# Tabs -------------------------------------------------------------------------


def test_htmx_tab_swap_gets_only_the_tab(client, tools):
    response = client.get(stackup_url("flask", "rust", tab="comparison"), headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'id="stackup-tab"' in content
    assert response["Vary"]
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(client, tools):
    """After "back", htmx asks for the page again and must get all of it."""
    response = client.get(
        stackup_url("flask", "rust", tab="comparison"),
        headers={**HTMX, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_comparison_tab_shows_top_five_pros_and_cons_of_each(client, tools):
    for votes in range(7):
        make_procon(tool=tools["flask"], text=f"flask pro {votes}", vote_count=votes)
    make_procon(tool=tools["rust"], text="slow compiles", kind="con", vote_count=3)
    make_procon(tool=tools["rust"], text="hidden con", kind="con", is_hidden=True)
    content = client.get(
        stackup_url("flask", "rust", tab="comparison")
    ).content.decode()
    assert "flask pro 6" in content
    assert "flask pro 2" in content
    assert "flask pro 1" not in content  # sixth and seventh are left out
    assert "slow compiles" in content
    assert "hidden con" not in content


def test_member_votes_on_a_pro_in_place_and_comes_back(member_client, member, tools):
    pro = make_procon(tool=tools["flask"], text="tiny core")
    url = stackup_url("flask", "rust", tab="comparison")
    response = member_client.post(
        reverse("tools:procon_vote", args=[pro.pk]),
        {"state": "on", "next": url},
        headers=HTMX,
    )
    assert 'aria-pressed="true"' in response.content.decode()
    pro.refresh_from_db()
    assert pro.vote_count == 1
    # Without JavaScript the vote returns to the comparison…
    response = member_client.post(
        reverse("tools:procon_vote", args=[pro.pk]), {"state": "off", "next": url}
    )
    assert response["Location"] == url
    # …but never to another site.
    response = member_client.post(
        reverse("tools:procon_vote", args=[pro.pk]),
        {"state": "on", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/tools/flask/#pros-cons"


def test_alternatives_tab_leaves_out_the_compared_tools(client, tools):
    bottle = make_tool(name="Bottle", function=tools["flask"].function)
    Alternative.objects.create(tool=tools["flask"], alternative=tools["django"])
    Alternative.objects.create(tool=tools["flask"], alternative=bottle)
    response = client.get(stackup_url("django", "flask", tab="alternatives"))
    by_tool = {entry.tool.slug: entry for entry in response.context["alternatives"]}
    assert [t.name for t in by_tool["flask"].alternatives] == ["Bottle"]
    assert "tool=flask&amp;tool=bottle" in response.content.decode()


def test_decisions_tab_invites_when_empty(client, tools):
    response = client.get(stackup_url("flask", "rust", tab="decisions"))
    assert response.status_code == 200
    assert "No one has written about these tools yet" in response.content.decode()


def test_overview_shows_the_editorial_text_when_present(client, tools, moderator):
    stackup = stackup_for(resolve("flask-vs-rust"))
    edit_differences(
        stackup=stackup, text="Flask is a **web framework**.", editor=moderator
    )
    content = client.get(stackup_url("flask", "rust")).content.decode()
    assert "What are the differences?" in content
    assert "<strong>web framework</strong>" in content
    stackup.refresh_from_db()
    assert stackup.differences_edited_by == moderator
    # The edit is in the moderators' audit trail, like every other.
    event = ModerationEvent.objects.get()
    assert (event.action, event.actor, event.target_id) == (
        ModerationAction.EDIT,
        moderator,
        str(stackup.pk),
    )


def test_growth_chart_is_labelled_for_screen_readers(client, tools, member):
    """The chart of stacks and followers says in words what it draws."""
    from stacks.tests.factories import make_stack

    services.follow_tool(user=member, tool=tools["rust"])
    make_stack(tools=[tools["rust"], tools["flask"]])
    make_stack(tools=[tools["rust"]])
    content = client.get(stackup_url("flask", "rust")).content.decode()
    assert 'role="img"' in content
    assert "Rust: 0 stacks and 0 followers in" in content
    assert "2 stacks and 1 follower now." in content


def test_often_used_with_leaves_out_the_compared_tools(client, tools):
    from stacks.services import refresh_tool_pairings
    from stacks.tests.factories import make_stack

    redis = make_tool(name="Redis")
    make_stack(tools=[tools["flask"], tools["rust"], redis])
    refresh_tool_pairings()
    response = client.get(stackup_url("flask", "rust"))
    assert [t.name for t in response.context["often_used_with"]] == ["Redis"]


def test_follow_button_on_a_stackup_follows_without_touching_tool_stats(
    member_client, tools
):
    response = member_client.post(
        reverse("tools:follow", args=["rust"]), {"state": "on"}, headers=HTMX
    )
    content = response.content.decode()
    assert "Following" in content
    assert "hx-swap-oob" not in content  # the stackup page has no statistics row


# Related and most viewed ------------------------------------------------------


def test_related_stackups_share_a_tool_and_rank_by_views(client, tools):
    for address, views in [("django-vs-flask", 5), ("golang-vs-rust", 9)]:
        stackup_for(resolve(address))
        Stackup.objects.filter(slug=address).update(view_count=views)
    stackup_for(resolve("django-vs-golang"))
    response = client.get(stackup_url("flask", "rust"))
    assert [s.slug for s in response.context["related"]] == [
        "golang-vs-rust",
        "django-vs-flask",
    ]


def views_of(slug: str) -> int:
    return Stackup.objects.get(slug=slug).view_count


def visitor(number: int) -> dict[str, str]:
    """Request headers of one anonymous visitor among several."""
    return {"REMOTE_ADDR": f"10.0.0.{number}"}


def test_a_reader_sees_the_count_move_and_a_reload_does_not_double_it(client, tools):
    """A view counts once per visitor per day, written at once: the list of
    most viewed comparisons shows it, and reloads the same day add nothing."""
    stackup_for(resolve("flask-vs-rust"))
    client.get(stackup_url("flask", "rust"))
    assert "1 view" in client.get(reverse("stackups:list")).content.decode()
    client.get(stackup_url("flask", "rust"))
    client.get(stackup_url("flask", "rust", tab="comparison"))
    assert views_of("flask-vs-rust") == 1
    client.get(stackup_url("flask", "rust"), **visitor(2))
    assert views_of("flask-vs-rust") == 2
    assert "2 views" in client.get(reverse("stackups:list")).content.decode()


def test_reading_a_comparison_writes_nothing(client, tools):
    """A crawler reading every pair of tools grows no table: one visitor's
    reads of a comparison insert no row; a second visitor the same day makes
    it, with both views."""
    for _ in range(3):
        assert client.get(stackup_url("flask", "rust")).status_code == 200
    assert client.get(stackup_url("django", "golang")).status_code == 200
    assert not Stackup.objects.exists()
    client.get(stackup_url("flask", "rust"), **visitor(2))
    stackup = Stackup.objects.get()
    assert (stackup.slug, stackup.view_count) == ("flask-vs-rust", 2)
    assert [tool.slug for tool in stackup.tools.order_by("slug")] == ["flask", "rust"]
    client.get(stackup_url("flask", "rust"), **visitor(3))
    assert views_of("flask-vs-rust") == 3


def test_index_lists_most_viewed_and_starts_a_comparison(client, tools):
    stackup_for(resolve("flask-vs-rust"))
    Stackup.objects.update(view_count=12)
    content = client.get(reverse("stackups:list")).content.decode()
    assert "Flask vs Rust" in content
    response = client.get(reverse("stackups:start"), {"tool": ["Rust", "flask"]})
    assert response["Location"] == stackup_url("flask", "rust")


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        (["flask"], "at least two tools"),
        (["flask", "Flask"], "at least two tools"),
        (["flask", "rust", "django", "golang", "extra"], "at most 4 tools"),
        (["flask", "nope"], "We know no tool called “nope”"),
        (["flask", "x" * 5000], "We know no tool called"),
    ],
)
def test_picker_refuses_bad_picks_with_a_message(client, tools, picked, message):
    response = client.get(reverse("stackups:start"), {"tool": picked})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_tool_page_offers_compare_and_its_most_viewed_stackups(client, tools):
    for address, views in [
        ("flask-vs-rust", 3),
        ("django-vs-flask", 8),
        ("flask-vs-golang", 1),
        ("django-vs-golang", 99),
    ]:
        stackup_for(resolve(address))
        Stackup.objects.filter(slug=address).update(view_count=views)
    response = client.get(tools["flask"].get_absolute_url())
    assert [s.slug for s in response.context["stackups"]] == [
        "django-vs-flask",
        "flask-vs-rust",
        "flask-vs-golang",
    ]
    content = response.content.decode()
    assert 'action="/stackups/new/"' in content
    assert '<input type="hidden" name="tool" value="flask">' in content


# Query budget -----------------------------------------------------------------


@pytest.mark.parametrize("tab", ["overview", "decisions", "comparison", "alternatives"])
def test_four_tool_stackup_stays_within_budget(member_client, member, tools, tab):
    """Any tab of a 4-tool stackup costs at most 20 queries, however much data."""
    url = stackup_url("django", "flask", "golang", "rust", tab=tab)
    for tool in tools.values():
        add_points_and_alternatives(tool, count=1)
    member_client.get(url)  # the first view creates the stackup row
    before = count_queries(member_client, url)
    assert before <= 20
    for tool in tools.values():
        add_points_and_alternatives(tool, count=10)
        services.follow_tool(user=member, tool=tool)
    assert count_queries(member_client, url) == before


def add_points_and_alternatives(tool, *, count: int) -> None:
    for _ in range(count):
        make_procon(tool=tool)
        make_procon(tool=tool, kind="con")
        Alternative.objects.create(tool=tool, alternative=make_tool())


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_decisions_tab_lists_posts_tagging_several_tools_first(client, tools):
    from decisions.tests.factories import make_decision

    make_decision(title="Only Flask", chosen=[tools["flask"]])
    make_decision(
        title="Flask or Rust for our API?",
        kind="advice",
        considered=[tools["flask"], tools["rust"]],
    )
    make_decision(title="Go everywhere", chosen=[tools["go"]])
    response = client.get(stackup_url("flask", "rust", tab="decisions"))
    titles = [d.title for d in response.context["decisions"]]
    assert titles == ["Flask or Rust for our API?", "Only Flask"]
    assert "Flask or Rust for our API?" in response.content.decode()


# Cached for anonymous readers ---------------------------------------------------


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


def without_tokens(content: bytes) -> str:
    """The page with its per-response (masked) CSRF tokens left out."""
    return re.sub(r"[A-Za-z0-9]{64}", "", content.decode())


def test_a_cache_hit_still_counts_the_view(
    cached, client, tools, django_assert_num_queries
):
    """A page from the cache counts a new visitor's view; a reload the same
    day costs no query at all."""
    url = stackup_url("flask", "rust")
    stackup_for(resolve("flask-vs-rust"))
    first = client.get(url)
    second = client.get(url, **visitor(2))
    assert without_tokens(second.content) == without_tokens(first.content)
    assert views_of("flask-vs-rust") == 2
    with django_assert_num_queries(0):
        third = client.get(url)
    assert third.status_code == 200
    assert views_of("flask-vs-rust") == 2


def test_redirects_and_404s_are_not_counted(cached, client, tools):
    stackup_for(resolve("flask-vs-rust"))
    client.get(stackup_url("rust", "flask"))
    client.get(stackup_url("flask", "rust", tab="nope"))
    assert views_of("flask-vs-rust") == 0


def test_a_procon_vote_on_a_compared_tool_shows_at_once(
    cached, client, member, tools, django_capture_on_commit_callbacks
):
    """The comparison tab is cached, and a vote on either tool's pro replaces it."""
    pro = make_procon(tool=tools["rust"], text="no garbage collector")
    url = stackup_url("flask", "rust", tab="comparison")
    before = without_tokens(client.get(url).content)
    assert without_tokens(client.get(url).content) == before  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_for_procon(user=member, procon=pro)
    assert without_tokens(client.get(url).content) != before
    pro.refresh_from_db()
    assert pro.vote_count == 1


def test_an_editorial_edit_shows_at_once(
    cached, client, tools, moderator, django_capture_on_commit_callbacks
):
    url = stackup_url("flask", "rust")
    stackup = stackup_for(resolve("flask-vs-rust"))
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        edit_differences(stackup=stackup, text="Pick Rust for speed.", editor=moderator)
    assert "Pick Rust for speed." in client.get(url).content.decode()


def test_signed_in_views_count_too(cached, client, member, tools):
    """Signed-in readers skip the cache; their views count like anyone's,
    once a day."""
    url = stackup_url("flask", "rust")
    stackup_for(resolve("flask-vs-rust"))
    client.get(url)
    client.force_login(member)
    client.get(url)
    client.get(url)
    assert views_of("flask-vs-rust") == 2
