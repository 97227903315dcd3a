"""Follow, mute and vote buttons share one helper (stackshare.toggles):
the button posts the state it wants, htmx gets the button back, a plain
form goes back to the page, and a refusal is a 400 that says why."""

from __future__ import annotations

import pytest
from django.db.models import OuterRef
from django.urls import reverse

from accounts.models import MemberFollow, MemberMute
from stackshare.toggles import reader_state

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_following_a_member_twice_leaves_one_follow(member_client, other_member):
    url = reverse("accounts:follow", args=[other_member.username])
    for _ in range(2):
        response = member_client.post(url, {"state": "on"}, headers=HTMX)
        assert response.status_code == 200
        assert b"<html" not in response.content
    other_member.refresh_from_db()
    assert other_member.follower_count == 1
    assert MemberFollow.objects.filter(followed=other_member).count() == 1


def test_a_plain_form_goes_back_to_the_page(member_client, other_member):
    url = reverse("accounts:follow", args=[other_member.username])
    member_client.post(url, {"state": "on"})

    response = member_client.post(url, {"state": "off"})

    assert response.status_code == 302
    assert response["Location"] == other_member.get_absolute_url()
    assert not MemberFollow.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_following_oneself_is_refused_with_a_reason(member_client, member, htmx):
    response = member_client.post(
        reverse("accounts:follow", args=[member.username]),
        {"state": "on"},
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 400
    assert "You cannot follow yourself." in response.content.decode()
    assert not MemberFollow.objects.exists()


def test_reader_state_answers_in_one_query(
    member, other_member, django_assert_num_queries
):
    MemberMute.objects.create(user=member, muted=other_member)
    with django_assert_num_queries(1):
        state = reader_state(
            other_member,
            is_following=MemberFollow.objects.filter(
                follower=member, followed=OuterRef("pk")
            ),
            is_muted=MemberMute.objects.filter(user=member, muted=OuterRef("pk")),
        )
    assert state == {"is_following": False, "is_muted": True}
