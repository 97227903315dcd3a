"""Which cached pages each kind of write expires: exactly the pages that show it.

Every page is read twice first (the second answer comes from the cache),
then one write is made; the pages the cache no longer answers are the pages
the write expired. A follow of one tool expires the lists it appears in and
the category pages above it, not every category page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from stacks import services as stack_services
from stacks.tests.factories import make_company, make_stack
from stackups.services import resolve, stackup_for
from tools import services
from tools.tests.factories import make_category, make_tool


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


@pytest.mark.parametrize("write", ["follow", "vote"])
def test_a_follow_or_vote_expires_the_tool_its_lists_and_its_categories(
    site, client, member, write, django_capture_on_commit_callbacks
):
    flask = site["flask"]
    action = services.follow_tool if write == "follow" else services.vote_for_tool
    expired = expired_by(
        client,
        site["pages"],
        lambda: action(user=member, tool=flask),
        django_capture_on_commit_callbacks,
    )
    assert expired == LISTS | ABOVE_FLASK | {"flask", "flask-vs-rails"}


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
