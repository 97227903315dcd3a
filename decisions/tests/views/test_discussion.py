"""Comments and upvotes on a post."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import make_member
from decisions import services
from decisions.models import Comment
from decisions.tests.factories import make_comment, make_decision

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_member_comments_and_replies(member_client):
    decision = make_decision()
    url = reverse("decisions:comment", args=[decision.pk])
    response = member_client.post(url, {"body": "Top level"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    reply = member_client.post(url, {"body": "A reply", "parent": comment.pk})
    assert reply.status_code == 302
    nested = member_client.post(
        url, {"body": "Reply to reply", "parent": Comment.objects.latest("id").pk}
    )
    assert nested.status_code == 302
    assert Comment.objects.latest("id").parent == comment


def test_empty_comment_and_unknown_parent_are_refused(member_client):
    decision = make_decision()
    url = reverse("decisions:comment", args=[decision.pk])
    response = member_client.post(url, {"body": "   "})
    assert response.status_code == 400
    assert "Write something" in response.content.decode()
    response = member_client.post(url, {"body": "Kept text", "parent": 999999})
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    assert not Comment.objects.exists()


def test_commenting_on_hidden_or_deleted_posts_is_refused(
    member_client, member, moderator
):
    own_hidden = make_decision(author=member)
    services.hide_decision(decision=own_hidden, actor=moderator)
    response = member_client.post(
        reverse("decisions:comment", args=[own_hidden.pk]), {"body": "Can I?"}
    )
    assert response.status_code == 400
    assert "hidden by a moderator" in response.content.decode()
    other_hidden = make_decision()
    services.hide_decision(decision=other_hidden, actor=moderator)
    assert (
        member_client.post(
            reverse("decisions:comment", args=[other_hidden.pk]), {"body": "x"}
        ).status_code
        == 404
    )
    deleted = make_decision()
    services.delete_decision(decision=deleted, actor=deleted.author)
    assert (
        member_client.post(
            reverse("decisions:comment", args=[deleted.pk]), {"body": "x"}
        ).status_code
        == 410
    )
    assert not Comment.objects.exists()


def test_commenting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"comment": (2, 600)}
    decision = make_decision()
    url = reverse("decisions:comment", args=[decision.pk])
    assert member_client.post(url, {"body": "one"}).status_code == 302
    assert member_client.post(url, {"body": "two"}).status_code == 302
    response = member_client.post(url, {"body": "three"})
    assert response.status_code == 429
    assert "2 comments per 10 minutes" in response.content.decode()


def test_only_author_or_moderator_may_delete_a_comment(client, member, other_member):
    comment = make_comment(decision=make_decision(), author=member)
    url = reverse("decisions:comment_delete", args=[comment.pk])
    client.force_login(other_member)
    assert client.post(url).status_code == 403
    client.force_login(member)
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted


def test_upvote_toggles_in_place_with_htmx_and_without(member_client):
    decision = make_decision()
    url = reverse("decisions:upvote", args=[decision.pk])
    response = member_client.post(url, {"state": "on"}, headers=HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "Upvoted" in content
    assert 'value="off"' in content
    response = member_client.post(url, {"state": "off"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.upvote_count == 0


def test_voting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"vote": (1, 60)}
    decision = make_decision()
    url = reverse("decisions:upvote", args=[decision.pk])
    member_client.post(url, {"state": "on"})
    response = member_client.post(url, {"state": "off"})
    assert response.status_code == 429
    assert "1 votes per minute" in response.content.decode()


def test_upvote_needs_a_post_and_a_login(client):
    decision = make_decision()
    url = reverse("decisions:upvote", args=[decision.pk])
    assert client.post(url).status_code == 302
    client.force_login(make_member())
    assert client.get(url).status_code == 405


def test_author_sees_no_upvote_button_and_cannot_upvote(member_client, member):
    """The author reads the count without a button; a forged upvote gets a 400
    with the reason, in place of the page for htmx, and counts nothing."""
    decision = make_decision(author=member)
    url = reverse("decisions:upvote", args=[decision.pk])
    content = member_client.get(decision.get_absolute_url()).content.decode()
    assert url not in content
    response = member_client.post(url, {"state": "on"})
    assert response.status_code == 400
    assert "You cannot upvote your own post." in response.content.decode()
    response = member_client.post(url, {"state": "on"}, headers=HTMX)
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert response["HX-Retarget"] == "#main"
    decision.refresh_from_db()
    assert decision.upvote_count == 0
