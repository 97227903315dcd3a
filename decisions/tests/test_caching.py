"""A post's page is cached for anonymous readers; every change shows at once."""

from __future__ import annotations

import pytest

from accounts.tests.factories import make_member
from decisions import services
from decisions.models import Decision
from decisions.tests.factories import make_comment, make_decision
from tools.tests.factories import make_tool


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def post(db, member):
    return make_decision(
        author=member,
        title="Why we moved to PostgreSQL",
        chosen=[make_tool(name="PostgreSQL")],
    )


@pytest.fixture
def page(client, post, django_capture_on_commit_callbacks):
    """The post's page as an anonymous reader sees it, after ``change`` commits."""

    def read(change=None):
        if change is not None:
            with django_capture_on_commit_callbacks(execute=True):
                change()
        response = client.get(post.get_absolute_url(), headers={"user-agent": "A"})
        assert response.status_code == 200
        return response.content.decode()

    return read


def test_a_second_anonymous_view_costs_no_query(
    cached, client, post, django_assert_num_queries
):
    make_comment(decision=post, body="We did the same last year.")
    first = client.get(post.get_absolute_url())
    with django_assert_num_queries(0):  # the same visitor's view counted already
        second = client.get(post.get_absolute_url())
    assert second.status_code == first.status_code == 200
    assert len(second.content) == len(first.content)  # the CSRF token differs


def test_views_served_from_the_cache_still_count(cached, client, post):
    for browser in ["Firefox", "Safari", "Safari", "Chromium"]:
        client.get(post.get_absolute_url(), headers={"user-agent": browser})
    assert Decision.objects.get(pk=post.pk).view_count == 3


def test_comments_and_votes_show_at_once(
    cached, page, post, other_member, django_capture_on_commit_callbacks
):
    assert "We did the same last year" not in page()
    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(decision=post, body="We did the same last year.")
    assert "We did the same last year" in page()
    assert '1<span class="visually-hidden"> upvote</span>' in page(
        lambda: services.upvote_decision(user=other_member, decision=post)
    )
    assert "We did the same last year" not in page(
        lambda: services.delete_comment(comment=comment, actor=comment.author)
    )


def test_edits_and_moderation_show_at_once(
    cached, client, page, post, moderator, django_capture_on_commit_callbacks
):
    assert "MySQL" not in page()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_decision(
            decision=post,
            editor=post.author,
            title="Why we moved to PostgreSQL from MySQL",
            body=post.body,
            chosen=list(post.tools.all()),
            considered=[],
        )
        comment = make_comment(decision=post, author=make_member(), body="Spam, spam.")
    assert "from MySQL" in page()
    assert "Spam, spam." in page()
    assert "Spam, spam." not in page(
        lambda: services.hide_comment(comment=comment, actor=moderator)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_decision(decision=post, actor=moderator)
    assert client.get(post.get_absolute_url()).status_code == 404
