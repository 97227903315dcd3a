from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from changes.models import Outcome
from changes.services import record_outcome
from decisions.tests.factories import make_decision
from feeds.events import Position, Reader, feed_page
from tools import services
from tools.models import ProCon, Tool
from tools.services import follow_category
from tools.tests.factories import make_procon, make_tool

HTMX = {"HX-Request": "true"}


def at(minutes_ago: int):
    return timezone.now() - timedelta(minutes=minutes_ago)


@pytest.fixture
def flask(db):
    return make_tool(name="Flask", created_at=at(10_000))


def test_member_sees_points_on_followed_tools_with_the_reason(
    member_client, member, flask
):
    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask, text="Tiny core", created_at=at(5))
    make_procon(tool=make_tool(name="Rust"), text="Not followed", created_at=at(4))
    content = member_client.get(reverse("feeds:feed")).content.decode()
    assert "Tiny core" in content
    assert "because you follow Flask" in content
    assert "Not followed" not in content


def test_hidden_points_never_show(member_client, member, flask):
    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask, text="Rude remark", is_hidden=True)
    assert (
        "Rude remark" not in member_client.get(reverse("feeds:feed")).content.decode()
    )


def test_points_on_one_tool_in_a_day_are_one_item(member, flask):
    # Items group by calendar day: ten minutes before now can be yesterday,
    # so the points are written within yesterday's noon hour.
    yesterday_noon = timezone.now().replace(hour=12, minute=0) - timedelta(days=1)
    services.follow_tool(user=member, tool=flask)
    for minutes in range(10):
        make_procon(tool=flask, created_at=yesterday_noon + timedelta(minutes=minutes))
    page = feed_page(Reader.for_user(member))
    assert len(page.items) == 1
    assert page.items[0].count == 10


def test_new_member_is_offered_popular_tools_to_follow(member_client, flask):
    make_tool(name="Rust", follower_count=50)
    response = member_client.get(reverse("feeds:feed"))
    assert [t.name for t in response.context["suggested_tools"]][:2] == [
        "Rust",
        "Flask",
    ]
    assert "Start by following a few tools" in response.content.decode()


def test_anonymous_reader_gets_the_site_wide_feed_and_an_invitation(client, flask):
    make_procon(tool=flask, text="Tiny core", created_at=at(5))
    content = client.get(reverse("feeds:feed")).content.decode()
    assert "Tiny core" in content
    assert "Flask</a> joined" in content
    assert "Make this feed yours" in content


def test_keyset_pages_cover_everything_once_in_order(member, flask):
    """Walking the cursors visits every item exactly once, newest first."""
    services.follow_tool(user=member, tool=flask)
    tools = [make_tool(name=f"Tool {i}", created_at=at(2000 + i)) for i in range(5)]
    for tool in tools:
        services.follow_tool(user=member, tool=tool)
    same_moment = at(30)
    for i, tool in enumerate(tools * 5):
        # Many points share a timestamp, so the cursor must break ties.
        make_procon(
            tool=tool, text=f"point {i}", created_at=same_moment if i % 3 else at(i)
        )
    reader = Reader.for_user(member)
    seen, cursor = [], None
    while True:
        page = feed_page(reader, cursor=cursor, size=4)
        seen += [row.pk for item in page.items for row in item.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(ProCon.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))


def test_forged_cursor_is_refused_with_a_message(member_client, member):
    response = member_client.get(reverse("feeds:feed"), {"after": "forged:cursor"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_more_loads_as_a_fragment_for_htmx(member_client, member, flask):
    services.follow_tool(user=member, tool=flask)
    for i in range(30):
        make_procon(tool=make_tool(), created_at=at(i))
        services.follow_tool(user=member, tool=Tool.objects.latest("pk"))
    cursor = feed_page(Reader.for_user(member)).next_cursor
    response = member_client.get(reverse("feeds:feed"), {"after": cursor}, headers=HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "feed-item" in content


def test_cursor_round_trips():
    position = Position(at(3), "procon", 42)
    assert Position.decode(position.encode()) == position


def test_feed_query_budget_is_flat(member_client, member, django_assert_num_queries):
    flask = make_tool(name="Flask")
    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask)
    follow_category(user=member, category=flask.function)
    decision = make_decision(chosen=[flask])
    record_outcome(
        decision=decision, outcome=Outcome.WORKED, text="Held up", recorded_by=member
    )
    member_client.get(reverse("feeds:feed"))  # the first visit makes the settings row
    # session, user, follows and mutes (one UNION), decisions, their tags,
    # their outcomes (changes app) and the tags those posts carry, pros and
    # cons and new tools (each: a walk to their newest groups, then the rows
    # of those on the page), feed settings
    with django_assert_num_queries(12):
        member_client.get(reverse("feeds:feed"))
    for _ in range(10):
        tool = make_tool(function=flask.function)
        services.follow_tool(user=member, tool=tool)
        make_procon(tool=tool)
        decision = make_decision(considered=[tool], kind="advice")
        # Outcomes of posts the reader sees for a followed tool they tag.
        record_outcome(
            decision=decision,
            outcome=Outcome.WORKED,
            text="Held up",
            recorded_by=decision.author,
        )
    with django_assert_num_queries(12):
        member_client.get(reverse("feeds:feed"))


def test_atom_feeds_of_a_tool_and_a_category(client, flask):
    make_procon(tool=flask, text="Tiny core")
    response = client.get(reverse("feeds:atom_tool", args=["flask"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"Pro of Flask: Tiny core" in response.content
    category = flask.function
    response = client.get(reverse("feeds:atom_category", args=[category.slug]))
    assert b"<title>Flask: Flask does one thing well</title>" in response.content
    assert client.get(reverse("feeds:atom_tool", args=["nope"])).status_code == 404


def test_new_tools_in_a_followed_category_show_with_the_reason(member_client, member):
    from tools.services import follow_category

    function = make_tool(name="Postgres", created_at=at(3000)).function
    assert function.parent is not None
    layer = function.parent.parent
    assert layer is not None
    follow_category(user=member, category=layer)
    make_tool(name="CockroachDB", function=function)
    make_tool(name="Elsewhere")
    content = member_client.get(reverse("feeds:feed")).content.decode()
    assert "CockroachDB</a> joined" in content
    assert f"because you follow {layer.name}" in content
    assert "Elsewhere" not in content


def test_muted_tools_leave_the_feed(member_client, member, flask):
    from tools.services import mute_tool

    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask, text="Tiny core")
    mute_tool(user=member, tool=flask)
    assert "Tiny core" not in member_client.get(reverse("feeds:feed")).content.decode()


def test_following_page_lists_follows_and_mutes_with_buttons(
    member_client, member, flask
):
    from tools.services import follow_category, mute_tool

    services.follow_tool(user=member, tool=flask)
    follow_category(user=member, category=flask.function)
    mute_tool(user=member, tool=make_tool(name="Noisy"))
    content = member_client.get(reverse("feeds:following")).content.decode()
    assert reverse("tools:follow", args=["flask"]) in content
    assert reverse("tools:category_follow", args=[flask.function.slug]) in content
    assert reverse("tools:mute", args=["noisy"]) in content


def test_following_page_needs_a_login(client):
    response = client.get(reverse("feeds:following"))
    assert response.status_code == 302


def test_decisions_tagging_a_followed_tool_show_with_the_reason(
    member_client, member, flask
):
    from decisions.tests.factories import make_decision

    services.follow_tool(user=member, tool=flask)
    make_decision(title="We moved our APIs to Flask", chosen=[flask])
    make_decision(title="Unrelated choice")
    hidden = make_decision(title="Hidden post", chosen=[flask])
    hidden.is_hidden = True
    hidden.save()
    content = member_client.get(reverse("feeds:feed")).content.decode()
    assert "We moved our APIs to Flask" in content
    assert "because you follow Flask" in content
    assert "Unrelated choice" not in content
    assert "Hidden post" not in content


def test_decisions_tagging_a_muted_tool_stay_out(member_client, member, flask):
    from decisions.tests.factories import make_decision
    from tools.services import mute_tool

    noisy = make_tool(name="Noisy")
    services.follow_tool(user=member, tool=flask)
    mute_tool(user=member, tool=noisy)
    make_decision(title="Flask or Noisy", considered=[flask, noisy], kind="advice")
    assert (
        "Flask or Noisy"
        not in member_client.get(reverse("feeds:feed")).content.decode()
    )


def test_latest_decisions_atom_feed(client, db):
    from decisions.tests.factories import make_decision

    make_decision(title="We picked PostgreSQL")
    response = client.get(reverse("feeds:atom_decisions"))
    assert response.status_code == 200
    assert b"Decision: We picked PostgreSQL" in response.content


def test_posts_of_followed_members_show_unless_muted(
    member_client, member, other_member
):
    from accounts.services import follow_member, mute_member

    follow_member(follower=member, followed=other_member)
    make_decision(author=other_member, title="Why we left Jenkins")
    content = member_client.get(reverse("feeds:feed")).content.decode()
    assert "Why we left Jenkins" in content
    assert f"because you follow {other_member.name}" in content
    mute_member(user=member, muted=other_member)
    assert (
        "Why we left Jenkins"
        not in member_client.get(reverse("feeds:feed")).content.decode()
    )


def test_member_atom_feed_lists_their_posts(client, member):
    make_decision(author=member, title="We picked Django")
    response = client.get(reverse("feeds:atom_member", args=[member.username]))
    assert b"Decision: We picked Django" in response.content


def test_stack_changes_of_followed_companies_are_one_item_per_stack_and_day(
    member_client, member
):
    from stacks.services import follow_company
    from stacks.tests.factories import make_company, make_stack

    acme = make_company(name="Acme")
    follow_company(user=member, company=acme)
    kafka, redis = make_tool(name="Kafka"), make_tool(name="Redis")
    make_stack(company=acme, name="Data platform", tools=[kafka, redis])
    make_stack(company=make_company(name="Other"), tools=[make_tool(name="Hidden")])
    response = member_client.get(reverse("feeds:feed"))
    items = [i for i in response.context["page"].items if i.kind == "stack"]
    assert len(items) == 1
    assert {row.tool_name for row in items[0].rows} == {"Kafka", "Redis"}
    content = response.content.decode()
    assert "because you follow Acme" in content
    assert "Hidden" not in content


def test_muted_company_leaves_the_feed(member_client, member):
    from stacks.services import follow_company, mute_company
    from stacks.tests.factories import make_company, make_stack

    acme = make_company(name="Acme")
    follow_company(user=member, company=acme)
    make_stack(company=acme, tools=[make_tool(name="Kafka")])
    mute_company(user=member, company=acme)
    assert not [
        i
        for i in member_client.get(reverse("feeds:feed")).context["page"].items
        if i.kind == "stack"
    ]


def test_company_atom_feed_lists_stack_changes(client, db):
    from stacks.tests.factories import make_company, make_stack

    acme = make_company(name="Acme")
    make_stack(company=acme, name="Data platform", tools=[make_tool(name="Kafka")])
    response = client.get(reverse("feeds:atom_company", args=[acme.slug]))
    assert b"Acme added Kafka in Data platform" in response.content


def test_stack_changes_made_by_a_followed_member_show(
    member_client, member, other_member
):
    from accounts.services import follow_member
    from stacks.services import add_tool_to_stack
    from stacks.tests.factories import make_company, make_stack

    follow_member(follower=member, followed=other_member)
    stack = make_stack(company=make_company(name="Lumenfold"), name="Data platform")
    add_tool_to_stack(stack=stack, tool=make_tool(name="Kafka"), added_by=other_member)
    content = member_client.get(reverse("feeds:feed")).content.decode()
    assert "Data platform" in content
    assert f"because you follow {other_member.name}" in content


def test_posts_for_either_reason_come_once_each_newest_first(
    member, other_member, flask
):
    """A post by a followed member, one tagging a followed tool, and one
    with both reasons are read apart and merged: each shows once, in order,
    across pages."""
    from accounts.services import follow_member

    follow_member(follower=member, followed=other_member)
    services.follow_tool(user=member, tool=flask)
    rust = make_tool(name="Rust")
    expected = []
    for i in range(9):
        author = other_member if i % 3 else None  # None: a stranger's post
        tags = [flask] if i % 3 != 1 else [rust]
        post = make_decision(author=author, chosen=tags, created_at=at(i))
        expected.append(post.pk)
    unseen = make_decision(chosen=[rust], created_at=at(5))  # neither reason
    reader = Reader.for_user(member)
    seen, cursor = [], None
    while True:
        page = feed_page(reader, cursor=cursor, size=3)
        seen += [item.key for item in page.items if item.kind == "decision"]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == expected
    assert unseen.pk not in seen
