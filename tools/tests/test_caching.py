"""Whole pages cached for anonymous readers, and writes that show at once."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]  # private to Django, not in django-stubs
from django.urls import reverse

from accounts.tests.factories import sign_in_with_mfa
from tools import services
from tools.models import ToolStatus
from tools.tests.factories import make_category, make_procon, make_tool


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def flask(db):
    return make_tool(name="Flask", function=make_category(name="Microframeworks"))


def test_anonymous_pages_come_from_the_cache(
    cached, client, flask, django_assert_num_queries
):
    """The second anonymous view of each page costs no query."""
    urls = [
        reverse("tools:list"),
        flask.function.get_absolute_url(),
        flask.get_absolute_url(),
        reverse("tools:alternatives", kwargs={"slug": flask.slug}),
        f"{reverse('search:results')}?q=flask",
        f"{reverse('search:autocomplete')}?q=fl",
        reverse("home"),
    ]
    for url in urls:
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == first.status_code == 200, url
        assert len(second.content) == len(first.content), url


def test_htmx_fragment_and_full_page_are_cached_apart(cached, client, flask):
    full = client.get(reverse("tools:list"))
    fragment = client.get(reverse("tools:list"), headers={"HX-Request": "true"})
    assert b"<html" in full.content
    assert b"<html" not in fragment.content
    assert b"<html" in client.get(reverse("tools:list")).content


def test_each_host_gets_its_own_canonical_address(cached, client, flask):
    """Pages print absolute addresses, so they are cached per host."""
    client.get(flask.get_absolute_url(), HTTP_HOST="localhost")
    page = client.get(flask.get_absolute_url(), HTTP_HOST="127.0.0.1").content
    assert b'href="http://127.0.0.1/tools/flask/"' in page
    assert b"http://localhost/" not in page


def test_anonymous_pages_carry_no_csrf_token(cached, client, flask):
    """An anonymous reader has no form to post: a cached page holds no token,
    neither a placeholder nor anyone's, and sets no CSRF cookie."""
    client.get(flask.get_absolute_url())
    response = client.get(flask.get_absolute_url())
    assert response["X-Cache"] == "hit"
    assert b"x-csrftoken" not in response.content
    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies


def test_a_follow_and_a_vote_show_at_once(
    cached, client, member, flask, django_capture_on_commit_callbacks
):
    """The tool page and the catalog show the new counts on the next view."""
    assert b'id="follower-count">0<' in client.get(flask.get_absolute_url()).content
    client.get(reverse("tools:list"))
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_tool(user=member, tool=flask)
        services.vote_for_tool(user=member, tool=flask)
    page = client.get(flask.get_absolute_url()).content
    assert b'id="follower-count">1<' in page
    assert b'id="vote-count">1<' in page
    catalog = client.get(reverse("tools:list"))
    assert catalog.context is not None  # rendered again, not served from the cache


def test_moderation_shows_at_once(
    cached, client, moderator, flask, django_capture_on_commit_callbacks
):
    """An approval puts the tool on the cached catalog; hiding a con takes it off."""
    pending = make_tool(
        name="Quart", function=flask.function, status=ToolStatus.PENDING
    )
    assert b"Quart" not in client.get(reverse("tools:list")).content
    con = make_procon(tool=flask, text="Too small for big apps", kind="con")
    assert b"Too small for big apps" in client.get(flask.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_tool(tool=pending, actor=moderator)
        services.set_procon_hidden(procon=con, hidden=True, actor=moderator)
    assert b"Quart" in client.get(reverse("tools:list")).content
    assert b"Too small for big apps" not in client.get(flask.get_absolute_url()).content


def test_signed_in_readers_are_never_served_the_anonymous_copy(
    cached, client, member, flask
):
    """The tool page cached for anonymous readers never reaches a signed-in
    one: theirs is rendered for them, with their follow and no log-in link,
    and then kept as their own copy."""
    anonymous = client.get(flask.get_absolute_url())
    assert b"Log in" in anonymous.content
    assert client.get(flask.get_absolute_url()).context is None  # from the cache
    services.follow_tool(user=member, tool=flask)
    client.force_login(member)
    responses = [client.get(flask.get_absolute_url()) for _ in range(3)]
    assert responses[0].context is not None  # rendered, not replayed
    assert responses[2].context is None  # the member's own copy
    for response in responses:
        assert 'aria-pressed="true"' in response.content.decode()
        assert b"Log in" not in response.content


def test_back_office_edits_show_at_once(
    cached, client, staff, flask, django_capture_on_commit_callbacks
):
    """Saving a tool in the admin refreshes its cached page."""
    client.get(flask.get_absolute_url())
    sign_in_with_mfa(client, staff)
    change = reverse("admin:tools_tool_change", args=[flask.pk])
    form = client.get(change).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "tagline": "Now with a new tagline",
            "function": flask.function_id,
            "status": flask.status,
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
            "alternative_links-TOTAL_FORMS": 0,
            "alternative_links-INITIAL_FORMS": 0,
        }
    )
    data.pop("tags", None)
    data.pop("logo", None)
    data.pop("successor", None)
    data.pop("submitted_by", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, data)
    assert response.status_code == 302, response.content[:2000]
    client.logout()
    assert b"Now with a new tagline" in client.get(flask.get_absolute_url()).content


def test_signed_in_tool_page_is_the_members_copy_until_they_or_the_tool_move(
    cached,
    member_client,
    member,
    flask,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """Read again, a member's page costs their session alone; their follow
    and their votes show at once."""
    make_procon(tool=flask, text="Tiny core")
    # The first answer sets the browser's CSRF cookie (a real sign-in has
    # already); the member's copy is kept under it from then on.
    for _ in range(2):
        member_client.get(flask.get_absolute_url())
    with django_assert_num_queries(1):  # the session; the member is kept too
        response = member_client.get(flask.get_absolute_url())
    assert response.context is None
    page = response.content.decode()
    assert "Tiny core" in page
    assert 'aria-pressed="true"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_tool(user=member, tool=flask)
    page = member_client.get(flask.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page
    assert 'id="follower-count">1<' in page
    procon = flask.procons.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_for_procon(user=member, procon=procon)
    page = member_client.get(flask.get_absolute_url()).content.decode()
    assert "Withdraw your vote:</span>" in page


@pytest.mark.django_db(transaction=True)
def test_posts_and_stack_changes_show_at_once_on_cached_pages(settings, client):
    """Decisions and stacks, written by higher apps, bump the tool's version."""
    from accounts.tests.factories import make_member
    from decisions.services import hide_decision
    from decisions.tests.factories import make_decision
    from stacks.tests.factories import make_stack

    settings.PAGE_CACHE_SECONDS = 300
    flask = make_tool(name="Flask", function=make_category(name="Microframeworks"))
    url = flask.get_absolute_url()
    assert "No decisions yet" in client.get(url).content.decode()

    post = make_decision(title="We moved to Flask", chosen=[flask])
    content = client.get(url).content.decode()
    assert "We moved to Flask" in content
    assert "We moved to Flask" in client.get(reverse("home")).content.decode()

    make_stack(tools=[flask])
    # A cache hit has no template context: this page was rendered anew.
    assert client.get(url).context["tool"].stack_count == 1

    hide_decision(decision=post, actor=make_member(is_staff=True), reason="Spam")
    assert "We moved to Flask" not in client.get(url).content.decode()
    assert "We moved to Flask" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_new_post_shows_at_once_on_a_members_kept_tool_page(
    settings, client, django_assert_num_queries
):
    """A member's tool page costs only their session once their copy is
    kept, and a new post about the tool still shows at once."""
    from accounts.tests.factories import make_member
    from decisions.tests.factories import make_decision

    settings.PAGE_CACHE_SECONDS = 300
    flask = make_tool(name="Flask", function=make_category(name="Microframeworks"))
    client.force_login(make_member())
    url = flask.get_absolute_url()
    for _ in range(2):  # the first answer sets the CSRF cookie
        client.get(url)
    with django_assert_num_queries(1):  # the session; the member is kept too
        assert client.get(url).status_code == 200
    make_decision(title="We moved to Flask", chosen=[flask])
    assert "We moved to Flask" in client.get(url).content.decode()


def test_signed_in_readers_never_see_another_readers_state_or_token(
    cached, client, member, other_member, flask, django_capture_on_commit_callbacks
):
    """A member's kept copy never shows their follow or votes to another,
    and every reader's forms carry their own CSRF token."""
    procon = make_procon(tool=flask, text="Tiny core")
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_tool(user=member, tool=flask)
        services.vote_for_procon(user=member, procon=procon)
    pages = {}
    for reader in [member, other_member, member]:
        client.force_login(reader)
        response = client.get(flask.get_absolute_url())
        page = response.content.decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', page)
        assert found, page
        token = found[1]
        assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
        pages[reader.username] = page
    # Ada's follow and point vote are pressed; Grace has pressed nothing.
    assert pages["ada"].count('aria-pressed="true"') == 2
    assert "Withdraw your vote:</span>" in pages["ada"]
    assert pages["grace"].count('aria-pressed="true"') == 0
    assert "Vote for this point:</span>" in pages["grace"]


def test_a_point_with_errors_shows_them_under_a_cached_page(
    cached, member_client, flask
):
    """The rejected form is the reader's own, never the page kept for their state."""
    member_client.get(flask.get_absolute_url())
    response = member_client.post(
        reverse("tools:procon_add", args=[flask.slug]), {"kind": "pro", "text": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
