"""The list of decisions and advice, and a post with its discussion, as readers see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member
from changes.models import RecordStatus
from changes.services import declare_decision_moves, save_decision_record
from decisions import services
from decisions.models import DecisionKind
from decisions.tests.factories import make_comment, make_decision
from decisions.views.reading import THREADS_SHOWN
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


# The list -----------------------------------------------------------------


def test_list_shows_visible_posts_only(client, moderator):
    shown = make_decision(title="Shown decision")
    hidden = make_decision(title="Hidden decision")
    gone = make_decision(title="Deleted decision")
    services.hide_decision(decision=hidden, actor=moderator)
    services.delete_decision(decision=gone, actor=gone.author)
    content = client.get(reverse("decisions:list")).content.decode()
    assert shown.title in content
    assert "Hidden decision" not in content
    assert "Deleted decision" not in content


def test_a_card_shows_the_post_in_plain_words(client):
    """The excerpt reads "&" once escaped and keeps paragraphs apart; the
    page's description for search engines too."""
    post = make_decision(
        title="Tracking runs",
        body="We chose Weights & Biases.\n\nWhat tipped it: speed.",
    )
    listed = client.get(reverse("decisions:list")).content.decode()
    assert "We chose Weights &amp; Biases. What tipped it: speed." in listed
    assert "&amp;amp;" not in listed
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'content="We chose Weights &amp; Biases. What tipped it: speed."' in page


def test_list_filters_by_kind_tool_company_and_layer(client):
    layer = make_category(name="DevOps", level=1)
    ci = make_category(name="CI", parent=make_category(name="Pipelines", parent=layer))
    jenkins = make_tool(name="Jenkins", function=ci)
    flask = make_tool(name="Flask")
    acme = make_member(company_name="Acme")
    a = make_decision(title="Jenkins at Acme", chosen=[jenkins], author=acme)
    b = make_decision(
        title="Flask question", kind=DecisionKind.ADVICE, considered=[flask]
    )
    url = reverse("decisions:list")

    def titles(**params):
        return [d.title for d in client.get(url, params).context["page"].object_list]

    assert titles(kind="advice") == [b.title]
    assert titles(tool="flask") == [b.title]
    assert titles(tool="FLASK ") == [b.title]
    assert titles(company="acme") == [a.title]
    assert titles(layer="devops") == [a.title]
    assert titles(layer="nope") == [
        b.title,
        a.title,
    ]  # invalid choice: ignored, form shows error


def test_list_sorts(client):
    old = make_decision(title="Old but popular", upvote_count=9, view_count=1)
    advice = make_decision(title="Open question", kind=DecisionKind.ADVICE)
    answered = make_decision(title="Answered question", kind=DecisionKind.ADVICE)
    make_comment(decision=answered)
    viewed = make_decision(title="Much read", view_count=500)
    url = reverse("decisions:list")

    def first(sort):
        return client.get(url, {"sort": sort}).context["page"].object_list[0]

    assert first("newest") == viewed
    assert first("upvoted") == old
    assert first("viewed") == viewed
    assert first("unanswered") == advice


def test_list_htmx_answers_a_fragment(client):
    make_decision(title="Fragment me")
    response = client.get(reverse("decisions:list"), {"kind": "decided"}, headers=HTMX)
    content = response.content.decode()
    assert "Fragment me" in content
    assert "<html" not in content


def test_list_query_count_is_flat(member_client, django_assert_num_queries):
    """The list costs the same queries for 1 or 11 posts, with tags."""
    make_decision(kind=DecisionKind.ADVICE, considered=[make_tool()])
    # session, user, layers, count, page of posts with authors, their tags with tools
    with django_assert_num_queries(6):
        member_client.get(reverse("decisions:list"), {"sort": "unanswered"})
    for _ in range(10):
        make_decision(chosen=[make_tool()], considered=[make_tool(), make_tool()])
    with django_assert_num_queries(6):
        member_client.get(reverse("decisions:list"), {"sort": "unanswered"})


# The post -------------------------------------------------------------------


def test_detail_shows_author_line_tools_body_and_threads(client):
    author = make_member(
        display_name="Timo", job_title="Head of Platform", company_name="Acme"
    )
    flask, django = make_tool(name="Flask"), make_tool(name="Django")
    decision = make_decision(
        author=author, chosen=[flask], considered=[django], body="Plain **bold**"
    )
    top = make_comment(decision=decision, body="First thoughts")
    make_comment(decision=decision, parent=top, body="A reply to them")
    response = client.get(decision.get_absolute_url())
    content = response.content.decode()
    assert "Head of Platform at Acme" in content
    assert "<strong>bold</strong>" in content
    assert "Chose" in content
    assert "Also considered" in content
    assert "First thoughts" in content
    assert "A reply to them" in content
    assert response.context["threads"][0].replies[0].comment.body == "A reply to them"


def test_detail_with_wrong_slug_redirects_to_canonical(client):
    decision = make_decision(title="Why we chose Go")
    response = client.get(
        reverse("decisions:detail_slug", args=[decision.pk, "old-title"])
    )
    assert response.status_code == 301
    assert response.url == decision.get_absolute_url()
    assert (
        client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200
    )


def test_detail_query_budget_is_flat(member_client, django_assert_num_queries):
    """One comment or a hundred, the post page costs the same; a record and
    a declared move one query each."""
    decision = make_decision()
    make_comment(decision=decision)
    url = decision.get_absolute_url()
    member_client.get(url)  # the first view of the day adds an UPDATE
    # session, user, post with author (and whether it has a record or
    # declares a move, changes app), tags with tools, comments with authors,
    # upvoted?
    with django_assert_num_queries(6):
        member_client.get(url)
    top = make_comment(decision=decision)
    for i in range(99):
        make_comment(decision=decision, parent=top if i % 2 else None)
    with django_assert_num_queries(6):
        response = member_client.get(url)
    assert response.context["decision"].comment_count == 101
    # Its record and the migration it declares, one query each.
    old, new = make_tool(name="Jenkins"), make_tool(name="Buildkite")
    decision.tool_tags.create(tool=old, role="considered")
    decision.tool_tags.create(tool=new, role="chosen")
    declare_decision_moves(
        decision=decision, from_tools=[old], to_tools=[new], declared_by=decision.author
    )
    save_decision_record(decision=decision, status=RecordStatus.ACCEPTED)
    with django_assert_num_queries(8):
        content = member_client.get(url).content.decode()
    assert "Accepted" in content
    assert "Migration: Jenkins → Buildkite" in content


def test_views_are_counted_once_per_visitor_and_not_for_the_author(
    client, member, other_member
):
    decision = make_decision(author=member)
    client.force_login(other_member)
    client.get(decision.get_absolute_url())
    client.get(decision.get_absolute_url())
    client.force_login(member)
    client.get(decision.get_absolute_url())
    decision.refresh_from_db()
    assert decision.view_count == 1


def test_a_reader_sees_their_view_counted_once_a_day(client, member, other_member):
    """The page a reader opens shows their view; a reload the same day does
    not add another."""
    decision = make_decision(author=member)
    client.force_login(other_member)
    assert "1 view" in client.get(decision.get_absolute_url()).content.decode()
    assert "1 view" in client.get(decision.get_absolute_url()).content.decode()
    decision.refresh_from_db()
    assert decision.view_count == 1


def test_hidden_post_is_shown_to_its_author_marked_and_hidden_from_others(
    client, member, other_member, moderator
):
    decision = make_decision(author=member, title="Controversial take")
    services.hide_decision(decision=decision, actor=moderator, reason="Off topic")
    assert client.get(decision.get_absolute_url()).status_code == 404
    client.force_login(other_member)
    assert client.get(decision.get_absolute_url()).status_code == 404
    client.force_login(member)
    content = client.get(decision.get_absolute_url()).content.decode()
    assert "Hidden by a moderator" in content
    assert "Off topic" in content
    client.force_login(moderator)
    assert client.get(decision.get_absolute_url()).status_code == 200


def test_deleted_post_says_so(client):
    decision = make_decision()
    services.delete_decision(decision=decision, actor=decision.author)
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 410
    assert "deleted" in response.content.decode()


def test_deleted_comment_with_replies_stays_as_a_placeholder(client):
    decision = make_decision()
    top = make_comment(decision=decision, body="Going away soon")
    make_comment(decision=decision, parent=top, body="Still here")
    lonely = make_comment(decision=decision, body="Alone and gone")
    services.delete_comment(comment=top, actor=top.author)
    services.delete_comment(comment=lonely, actor=lonely.author)
    content = client.get(decision.get_absolute_url()).content.decode()
    assert "[deleted]" in content
    assert "Still here" in content
    assert "Going away soon" not in content
    assert "Alone and gone" not in content
    assert content.count("[deleted]") == 1


def test_hidden_comment_is_marked_for_its_author_only(client, member, moderator):
    decision = make_decision()
    comment = make_comment(decision=decision, author=member, body="Spicy words")
    services.hide_comment(comment=comment, actor=moderator)
    assert "Spicy words" not in client.get(decision.get_absolute_url()).content.decode()
    client.force_login(member)
    content = client.get(decision.get_absolute_url()).content.decode()
    assert "Spicy words" in content
    assert "Hidden by a moderator" in content


def test_long_discussions_open_on_their_latest_threads(client, member):
    """The page shows the 30 most recently active threads and links to the rest;
    a comment's own link opens every thread, so it is always found."""
    post = make_decision(author=member)
    oldest = make_comment(decision=post, body="The very first thread.")
    for n in range(THREADS_SHOWN + 4):
        make_comment(decision=post, body=f"Thread number {n}.")
    page = client.get(post.get_absolute_url()).content.decode()
    assert f"Thread number {THREADS_SHOWN + 3}." in page
    assert "The very first thread." not in page
    assert "Show 5 older threads" in page
    everything = client.get(oldest.get_absolute_url().split("#")[0])
    assert "The very first thread." in everything.content.decode()
    assert everything.context["more_threads"] == 0
