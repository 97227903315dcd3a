"""The company page is cached for anonymous readers; every change shows at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.tests.factories import make_member
from decisions import services as decision_services
from decisions.tests.factories import make_decision
from stacks import services
from stacks.tests.factories import make_company, make_membership, make_stack
from tools.tests.factories import make_tool


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def acme(db, member):
    return make_company(name="Acme", owner=member)


@pytest.fixture
def page(client, acme, django_capture_on_commit_callbacks):
    """The company page as an anonymous reader sees it, after ``change`` commits."""

    def read(change=None) -> str:
        if change is not None:
            with django_capture_on_commit_callbacks(execute=True):
                change()
        return str(client.get(acme.get_absolute_url()).content.decode())

    return read


def test_a_second_anonymous_view_costs_no_query(
    cached, client, acme, django_assert_num_queries
):
    make_stack(company=acme, tools=[make_tool(name="Flask")])
    first = client.get(acme.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(acme.get_absolute_url())
    assert second.status_code == first.status_code == 200
    assert len(second.content) == len(first.content)  # the CSRF token differs


def test_stack_changes_show_at_once(cached, acme, page):
    stack = make_stack(company=acme, name="Web shop")
    assert "Django" not in page()
    django = make_tool(name="Django")
    assert "Django" in page(
        lambda: services.add_tool_to_stack(stack=stack, tool=django, added_by=None)
    )
    assert "Django" not in page(
        lambda: services.remove_tool_from_stack(
            stack=stack, tool=django, removed_by=None
        )
    )
    stack.name = "Storefront"
    assert "Storefront" in page(lambda: services.update_stack(stack=stack))
    assert "Storefront" not in page(lambda: services.delete_stack(stack=stack))


def test_members_and_followers_show_at_once(cached, acme, page, other_member):
    assert "Grace Hopper" not in page()
    assert "Grace Hopper" in page(
        lambda: make_membership(company=acme, user=other_member)
    )
    assert '1<span class="visually-hidden"> follower</span>' in page(
        lambda: services.follow_company(user=make_member(), company=acme)
    )
    assert "Grace Hopper" not in page(
        lambda: services.remove_company_member(company=acme, user=other_member)
    )


def test_company_and_profile_edits_show_at_once(cached, acme, page, member):
    assert "Rockets for everyone" not in page()
    acme.tagline = "Rockets for everyone"
    assert "Rockets for everyone" in page(
        lambda: services.update_company(company=acme, changed=["tagline"])
    )
    assert "Countess of Lovelace" in page(
        lambda: account_services.update_profile(
            user=member, changes={"display_name": "Countess of Lovelace"}
        )
    )


def test_its_posts_show_votes_and_moderation_at_once(
    cached, acme, page, member, moderator
):
    """Posts written at the company are listed with their votes."""
    post = make_decision(author=member, title="Why we moved to PostgreSQL")
    assert post.company_id == acme.pk
    assert "Why we moved to PostgreSQL" in page()
    upvoted = page(
        lambda: decision_services.upvote_decision(user=make_member(), decision=post)
    )
    assert '<span>1</span><span class="sr-only"> upvotes</span>' in upvoted
    assert "Why we moved to PostgreSQL" not in page(
        lambda: decision_services.hide_decision(decision=post, actor=moderator)
    )


def test_signed_in_readers_get_their_own_buttons(cached, client, acme, member):
    """A cached page never reaches a signed-in owner: they see Edit."""
    client.get(acme.get_absolute_url())
    client.force_login(member)
    response = client.get(acme.get_absolute_url())
    assert (
        reverse("stacks:company_update", args=[acme.slug]) in response.content.decode()
    )
