from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from feeds.models import DigestFrequency, Reading
from tools import services
from tools.tests.factories import make_procon, make_tool

HTMX = {"HX-Request": "true"}


@pytest.fixture
def submitted(member, moderator):
    tool = make_tool(name="Gleam", status="pending", submitted_by=member)
    services.approve_tool(tool=tool, actor=moderator)
    return tool


def test_member_is_told_their_submitted_tool_was_approved(member_client, submitted):
    content = member_client.get(reverse("feeds:notifications")).content.decode()
    assert "Gleam, the tool you submitted, is now in the catalog." in content
    assert submitted.get_absolute_url() in content


def test_rejection_gives_the_moderators_reason(member_client, member, moderator):
    tool = make_tool(name="Spammy", status="pending", submitted_by=member)
    services.reject_tool(tool=tool, actor=moderator, reason="It is an ad, not a tool")
    content = member_client.get(reverse("feeds:notifications")).content.decode()
    assert "was not accepted: It is an ad, not a tool" in content


def test_unread_count_in_the_header_until_marked_read(member_client, submitted):
    badge = member_client.get(reverse("feeds:unread")).content.decode()
    assert ">1<" in badge
    response = member_client.post(reverse("feeds:notifications_read"), headers=HTMX)
    assert "notify-badge" not in response.content.decode()
    assert (
        "notify-badge"
        not in member_client.get(reverse("feeds:unread")).content.decode()
    )
    page = member_client.get(reverse("feeds:notifications"))
    assert not any(n.is_unread for n in page.context["notifications"])


def test_other_members_notifications_stay_private(client, other_member, submitted):
    client.force_login(other_member)
    content = client.get(reverse("feeds:notifications")).content.decode()
    assert "Gleam" not in content


def test_notifications_page_budget_is_flat(
    member_client, member, moderator, django_assert_num_queries
):
    tool = make_tool(status="pending", submitted_by=member)
    services.approve_tool(tool=tool, actor=moderator)
    member_client.get(reverse("feeds:notifications"))  # makes the settings row
    # session, user, feed settings, muted members, comments on posts,
    # replies, new followers, submitted tools, their reviews, decisions due
    # for a look back (changes app)
    with django_assert_num_queries(10):
        member_client.get(reverse("feeds:notifications"))
    for _ in range(10):
        tool = make_tool(status="pending", submitted_by=member)
        services.approve_tool(tool=tool, actor=moderator)
    with django_assert_num_queries(10):
        member_client.get(reverse("feeds:notifications"))


def test_private_feed_works_until_its_address_is_replaced(
    member_client, client, member
):
    flask = make_tool(name="Flask")
    services.follow_tool(user=member, tool=flask)
    make_procon(tool=flask, text="Tiny core")
    member_client.get(reverse("feeds:feed"))
    url = Reading.objects.get(user=member).private_feed_url()
    response = client.get(url)  # a feed reader, not logged in
    assert response.status_code == 200
    assert b"New pro on Flask: Tiny core" in response.content
    member_client.post(reverse("feeds:reading_update"), {"new_key": "1"})
    assert client.get(url).status_code == 404
    assert client.get("/feeds/me/guessed-key/").status_code == 404


def test_digest_goes_to_members_who_asked_when_due(member, other_member):
    flask = make_tool(name="Flask")
    for person in (member, other_member):
        services.follow_tool(user=person, tool=flask)
    Reading.objects.create(user=member, digest=DigestFrequency.DAILY)
    Reading.objects.create(user=other_member, digest=DigestFrequency.NEVER)
    make_procon(tool=flask, text="Tiny core")
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "Sent 1 digest (1 due)." in out.getvalue()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "New pro on Flask: Tiny core (because you follow Flask)" in message.body
    assert "http://127.0.0.1:8000/tools/flask/#pros-cons" in message.body
    call_command("send_digests", stdout=StringIO())  # not due again today
    assert len(mail.outbox) == 1


def test_digest_skips_muted_tools_and_empty_news(member):
    flask = make_tool(name="Flask")
    services.follow_tool(user=member, tool=flask)
    Reading.objects.create(
        user=member,
        digest=DigestFrequency.WEEKLY,
        digest_sent_at=timezone.now() - timedelta(days=8),
    )
    make_procon(tool=flask, text="Tiny core")
    services.mute_tool(user=member, tool=flask)
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert "Would send 0 digests (1 due)." in out.getvalue()
    assert not mail.outbox


def test_digest_setting_is_saved_and_bad_values_refused(member_client, member):
    member_client.get(reverse("feeds:feed"))
    member_client.post(reverse("feeds:reading_update"), {"digest": "weekly"})
    assert Reading.objects.get(user=member).digest == "weekly"
    response = member_client.post(
        reverse("feeds:reading_update"), {"digest": "hourly"}, follow=True
    )
    assert "Pick how often" in response.content.decode()
    assert Reading.objects.get(user=member).digest == "weekly"


def test_comments_and_replies_notify_the_people_they_answer(
    client, member, other_member
):
    from decisions.tests.factories import make_comment, make_decision

    post = make_decision(author=member, title="Kafka or RabbitMQ?", kind="advice")
    question = make_comment(decision=post, author=member, body="Any numbers?")
    make_comment(decision=post, author=other_member, body="Try both")
    make_comment(decision=post, author=other_member, parent=question, body="Here")
    make_comment(decision=post, author=member, body="My own comment")
    client.force_login(member)
    texts = [
        n.text
        for n in client.get(reverse("feeds:notifications")).context["notifications"]
    ]
    name = other_member.name
    assert f"{name} commented on “Kafka or RabbitMQ?”" in texts
    assert f"{name} replied to your comment on “Kafka or RabbitMQ?”" in texts
    assert len(texts) == 2  # never told of one's own comments


def test_a_new_follower_is_a_notification(client, member, other_member):
    from accounts.services import follow_member

    follow_member(follower=other_member, followed=member)
    client.force_login(member)
    texts = [
        n.text
        for n in client.get(reverse("feeds:notifications")).context["notifications"]
    ]
    assert texts == [f"{other_member.name} started following you"]


def test_muted_members_cause_no_notifications(client, member, other_member):
    from accounts.services import follow_member, mute_member
    from decisions.tests.factories import make_comment, make_decision

    mute_member(user=member, muted=other_member)
    follow_member(follower=other_member, followed=member)
    make_comment(decision=make_decision(author=member), author=other_member)
    client.force_login(member)
    assert client.get(reverse("feeds:notifications")).context["notifications"] == []
