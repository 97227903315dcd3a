"""Which cached pages each kind of write expires: exactly the pages that show it.

Every page is read twice first (the second answer comes from the cache),
then one write is made; the pages the cache no longer answers are the pages
the write expired. A follow of one tool expires the lists it appears in and
the category pages above it, not every category page. Search pages expire
only when what they find changes; their counts may lag, as they say.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.tests.factories import PASSWORD, make_member
from decisions.tests.factories import make_decision
from stacks import services as stack_services
from stacks.tests.factories import make_company, make_stack
from stackups.services import resolve, stackup_for
from tools import services
from tools.tests.factories import make_category, make_tool

SEARCH_PAGES = {
    "search": "/search/?q=fla",
    "search posts": "/search/decisions/?q=fla",
    "search companies": "/search/companies/?q=acm",
    "search members": "/search/members/?q=new",
    "autocomplete": "/search/autocomplete/?q=fla",
}


@pytest.fixture
def site(settings, db):
    settings.PAGE_CACHE_SECONDS = 300
    flask = make_tool(name="Flask", function=make_category(name="Microframeworks"))
    # Another function under the same category and layer as Flask's.
    orms = make_category(name="ORMs", parent=flask.function.parent)
    sqlalchemy = make_tool(name="SQLAlchemy", function=orms)
    rails = make_tool(name="Rails", function=make_category(name="Full stack"))
    company = make_company(name="Acme")
    stack = make_stack(name="Main", company=company)
    for stackup in ("flask-vs-rails", "rails-vs-sqlalchemy"):
        stackup_for(resolve(stackup))
    group, layer = flask.function.parent, flask.function.parent.parent
    for url in SEARCH_PAGES.values():
        assert reverse("search:results") in url
    pages = {
        "catalog": reverse("tools:list"),
        "home": reverse("home"),
        "flask": flask.get_absolute_url(),
        "rails": rails.get_absolute_url(),
        "sqlalchemy": sqlalchemy.get_absolute_url(),
        "microframeworks": flask.function.get_absolute_url(),
        "orms": orms.get_absolute_url(),
        "group": group.get_absolute_url(),
        "layer": layer.get_absolute_url(),
        "full stack": rails.function.get_absolute_url(),
        "flask-vs-rails": reverse("stackups:detail", args=["flask-vs-rails"]),
        "rails-vs-sqlalchemy": reverse("stackups:detail", args=["rails-vs-sqlalchemy"]),
        "company": company.get_absolute_url(),
        "stack": stack.get_absolute_url(),
        **SEARCH_PAGES,
    }
    return {"flask": flask, "pages": pages, "stack": stack}


def expired_by(client, pages, write, capture) -> set[str]:
    for url in pages.values():
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit", url
    with capture(execute=True):
        write()
    return {name for name, url in pages.items() if client.get(url)["X-Cache"] == "miss"}


LISTS = {"catalog", "home"}
ABOVE_FLASK = {"microframeworks", "group", "layer"}


def test_a_follow_expires_the_tool_its_lists_and_its_categories(
    site, client, member, django_capture_on_commit_callbacks
):
    """Category pages show each tool's followers, so the three above it
    expire; no other category page does."""
    flask = site["flask"]
    expired = expired_by(
        client,
        site["pages"],
        lambda: services.follow_tool(user=member, tool=flask),
        django_capture_on_commit_callbacks,
    )
    assert expired == LISTS | ABOVE_FLASK | {"flask", "flask-vs-rails"}


def test_a_vote_expires_the_tool_and_its_lists_but_no_category(
    site, client, member, django_capture_on_commit_callbacks
):
    """No category page shows votes."""
    expired = expired_by(
        client,
        site["pages"],
        lambda: services.vote_for_tool(user=member, tool=site["flask"]),
        django_capture_on_commit_callbacks,
    )
    assert expired == LISTS | {"flask", "flask-vs-rails"}


def test_after_a_follow_a_category_page_shows_it_without_its_stacks_figures(
    site, client, member, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """The category page lists the tool's new follower count at once, but
    keeps its children's counts and movers: only the tool list is read."""
    flask = site["flask"]
    url = site["pages"]["group"]
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_tool(user=member, tool=flask)
    # The category (with its path), the count and the page of tools.
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert "<dt>Followers</dt><dd>1</dd>" in response.text


def test_a_stack_edit_moves_the_stacks_figures_of_the_categories_above(
    site, client, member, django_capture_on_commit_callbacks
):
    """A tool added to a stack rises among its categories' movers at once."""
    url = site["pages"]["group"]
    assert "Rising" not in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        stack_services.add_tool_to_stack(
            stack=site["stack"], tool=site["flask"], added_by=member
        )
    response = client.get(url)
    assert "Rising" in response.text
    assert "+1 stack in" in response.text


def test_a_category_follow_expires_that_category_page_alone(
    site, client, member, django_capture_on_commit_callbacks
):
    function = site["flask"].function
    expired = expired_by(
        client,
        site["pages"],
        lambda: services.follow_category(user=member, category=function),
        django_capture_on_commit_callbacks,
    )
    assert expired == {"microframeworks"}


def test_a_stack_edit_expires_the_tool_its_lists_categories_and_company(
    site, client, member, django_capture_on_commit_callbacks
):
    expired = expired_by(
        client,
        site["pages"],
        lambda: stack_services.add_tool_to_stack(
            stack=site["stack"], tool=site["flask"], added_by=member
        ),
        django_capture_on_commit_callbacks,
    )
    assert expired == LISTS | ABOVE_FLASK | {
        "flask",
        "flask-vs-rails",
        "company",
        "stack",
    }


def test_a_stack_note_expires_the_stack_page_alone(
    site, client, member, django_capture_on_commit_callbacks
):
    item, _ = stack_services.add_tool_to_stack(
        stack=site["stack"], tool=site["flask"], added_by=member
    )
    expired = expired_by(
        client,
        site["pages"],
        lambda: stack_services.edit_stack_note(item=item, note="Small and sharp."),
        django_capture_on_commit_callbacks,
    )
    assert expired == {"stack"}


def test_moderation_expires_every_page(
    site, client, moderator, django_capture_on_commit_callbacks
):
    pending = make_tool(name="Quart", function=site["flask"].function, status="pending")
    expired = expired_by(
        client,
        site["pages"],
        lambda: services.approve_tool(tool=pending, actor=moderator),
        django_capture_on_commit_callbacks,
    )
    assert expired == set(site["pages"])


def test_a_stack_page_comes_from_the_cache(site, client, django_assert_num_queries):
    """Stack pages are cached for anonymous readers like the catalog's."""
    url = site["pages"]["stack"]
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == first.status_code == 200
    assert second["X-Cache"] == "hit"


def test_member_profiles_expire_with_what_they_show(
    settings, client, member, other_member, django_capture_on_commit_callbacks
):
    """A profile is cached; a follow expires both members' profiles (one
    shows its followers, the other how many it follows), a membership or a
    stack change expires its member's alone."""
    from accounts import services as account_services

    settings.PAGE_CACHE_SECONDS = 300
    company = make_company(name="Acme")
    pages = {
        "member": member.get_absolute_url(),
        "other": other_member.get_absolute_url(),
    }

    def follow():
        account_services.follow_member(follower=other_member, followed=member)

    def join():
        stack_services.add_company_member(company=company, user=member)

    def stack_edit():
        stack = make_stack(name="Home", owner_user=member)
        stack_services.add_tool_to_stack(
            stack=stack, tool=make_tool(name="Flask"), added_by=member
        )

    capture = django_capture_on_commit_callbacks
    # The follower's count of members followed and the followed's followers.
    assert expired_by(client, pages, follow, capture) == {"member", "other"}
    assert expired_by(client, pages, join, capture) == {"member"}
    assert expired_by(client, pages, stack_edit, capture) == {"member"}


# Search ------------------------------------------------------------------


def test_a_post_expires_search_with_its_tools_and_lists(
    site, client, member, django_capture_on_commit_callbacks
):
    """Search finds the new post at once (its title, or its tool)."""
    expired = expired_by(
        client,
        site["pages"],
        lambda: make_decision(
            author=member, title="Why we kept Flask", chosen=[site["flask"]]
        ),
        django_capture_on_commit_callbacks,
    )
    assert expired == LISTS | ABOVE_FLASK | set(SEARCH_PAGES) | {
        "flask",
        "flask-vs-rails",
    }
    assert "Why we kept Flask" in client.get(SEARCH_PAGES["search posts"]).text


def test_an_upvote_on_a_post_leaves_search_kept(
    site, client, member, other_member, django_capture_on_commit_callbacks
):
    """Search finds posts by what they say; their votes may lag there."""
    from decisions import services as decision_services

    post = make_decision(author=member, title="Why we kept Flask")
    expired = expired_by(
        client,
        site["pages"],
        lambda: decision_services.upvote_decision(user=other_member, decision=post),
        django_capture_on_commit_callbacks,
    )
    assert not expired & set(SEARCH_PAGES)


def test_a_new_company_expires_search_alone(
    site, client, member, django_capture_on_commit_callbacks
):
    expired = expired_by(
        client,
        site["pages"],
        lambda: stack_services.create_company(name="Acme Labs", created_by=member),
        django_capture_on_commit_callbacks,
    )
    assert expired == set(SEARCH_PAGES)
    assert "Acme Labs" in client.get(SEARCH_PAGES["search companies"]).text


def test_a_suspension_takes_the_member_out_of_search_at_once(
    site, client, moderator, django_capture_on_commit_callbacks
):
    newcomer = make_member(username="newcomer")
    assert "newcomer" in client.get(SEARCH_PAGES["search members"]).text
    expired = expired_by(
        client,
        site["pages"],
        lambda: account_services.suspend_member(member=newcomer, actor=moderator),
        django_capture_on_commit_callbacks,
    )
    assert expired == set(SEARCH_PAGES)
    assert "newcomer" not in client.get(SEARCH_PAGES["search members"]).text


def test_a_sign_up_expires_search_alone(
    site, client, django_capture_on_commit_callbacks
):
    """The new member is found at once by a reader who searched before."""
    signup = {
        "email": "newbie@example.com",
        "username": "newbie",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    expired = expired_by(
        client,
        site["pages"],
        lambda: Client().post(reverse("account_signup"), signup),
        django_capture_on_commit_callbacks,
    )
    assert expired == set(SEARCH_PAGES)
    assert "newbie" in client.get(SEARCH_PAGES["search members"]).text
