"""Decisions on the pages of other apps: tool pages, stackups, profiles."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.tests.factories import make_member
from decisions import services
from decisions.models import DecisionKind
from decisions.tests.factories import make_decision
from stackups.views import decisions_context
from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db


def test_tool_page_lists_the_latest_visible_posts_tagging_it(client, moderator):
    flask = make_tool(name="Flask")
    make_decision(title="Flask won our API bake-off", chosen=[flask])
    hidden = make_decision(
        title="Hidden Flask rant", kind=DecisionKind.ADVICE, considered=[flask]
    )
    make_decision(title="About something else")
    services.hide_decision(decision=hidden, actor=moderator)
    content = client.get(flask.get_absolute_url()).content.decode()
    assert "Flask won our API bake-off" in content
    assert "Hidden Flask rant" not in content
    assert "About something else" not in content
    assert "?tool=flask" in content


def test_stackup_decisions_context_puts_posts_about_several_tools_first(
    django_assert_num_queries,
):
    flask, rust = make_tool(name="Flask"), make_tool(name="Rust")
    make_decision(title="Only Flask", chosen=[flask])
    make_decision(
        title="Flask or Rust?", kind=DecisionKind.ADVICE, considered=[flask, rust]
    )
    request = RequestFactory().get("/")
    with django_assert_num_queries(2):  # posts with authors, their tags
        context = decisions_context(request, [flask, rust])
    assert [d.title for d in context["decisions"]] == ["Flask or Rust?", "Only Flask"]
    assert context["decisions_ask_url"].endswith("&tool=flask&tool=rust")


def test_profile_lists_posts_and_own_hidden_ones_marked(client, moderator):
    author = make_member(username="nadia")
    make_decision(author=author, title="Visible post of Nadia")
    hidden = make_decision(author=author, title="Hidden post of Nadia")
    services.hide_decision(decision=hidden, actor=moderator)
    content = client.get(author.get_absolute_url()).content.decode()
    assert "Visible post of Nadia" in content
    assert "Hidden post of Nadia" not in content
    client.force_login(author)
    content = client.get(author.get_absolute_url()).content.decode()
    assert "Hidden post of Nadia" in content
    assert "Hidden by a moderator" in content
