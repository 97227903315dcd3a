"""A signed-in member is read from the cache, and every change to their
account counts from their next request."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.services import reinstate_member, suspend_member
from accounts.tests.factories import PASSWORD
from tools.models import ToolFollow
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(settings, client, member):
    """A member whose account has been read once, with the cache on."""
    settings.PAGE_CACHE_SECONDS = 300
    client.force_login(member)
    assert client.get(reverse("feeds:feed")).status_code == 200
    return client


def reads_account_of(member, queries) -> bool:
    """Whether a query read the member's row by its key, as Django's
    authentication does on every request it is not kept for."""
    lookup = re.compile(rf'"accounts_user"\."id" = {member.pk} LIMIT')
    return any(lookup.search(q["sql"]) for q in queries.captured_queries)


def test_a_members_next_request_does_not_read_their_account(
    signed_in, member, django_assert_max_num_queries
):
    with django_assert_max_num_queries(50) as queries:
        response = signed_in.get(reverse("feeds:following"))
    assert response.status_code == 200
    assert response.wsgi_request.user == member
    assert not reads_account_of(member, queries)


def test_without_the_cache_each_request_reads_the_account(
    client, member, django_assert_max_num_queries
):
    """The check above can fail: the same request reads the row when
    nothing is kept."""
    client.force_login(member)
    client.get(reverse("feeds:feed"))
    with django_assert_max_num_queries(50) as queries:
        client.get(reverse("feeds:following"))
    assert reads_account_of(member, queries)


def test_a_new_password_signs_other_browsers_out_at_once(
    signed_in, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member.set_password("a brand new passphrase")
        member.save()
    response = signed_in.get(reverse("feeds:following"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_deactivated_member_is_signed_out_at_once(
    signed_in, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member.is_active = False
        member.save()
    assert not signed_in.get(reverse("feeds:feed")).wsgi_request.user.is_authenticated


def test_a_suspension_stops_the_next_write(
    signed_in, member, moderator, django_capture_on_commit_callbacks
):
    postgres = make_tool(name="PostgreSQL")
    follow = reverse("tools:follow", args=[postgres.slug])
    with django_capture_on_commit_callbacks(execute=True):
        suspend_member(member=member, actor=moderator)
    assert signed_in.post(follow).status_code == 403
    assert not ToolFollow.objects.filter(user=member).exists()
    with django_capture_on_commit_callbacks(execute=True):
        reinstate_member(member=member, actor=moderator)
    assert signed_in.post(follow).status_code in {200, 302}
    assert ToolFollow.objects.filter(user=member, tool=postgres).exists()


def test_signing_in_again_after_a_password_change_works(
    settings, client, member, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.login(username=member.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        member.set_password("a brand new passphrase")
        member.save()
    assert client.login(username=member.username, password="a brand new passphrase")
    assert client.get(reverse("feeds:following")).status_code == 200
