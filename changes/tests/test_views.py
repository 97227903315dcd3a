"""The migration page and the change sections of tool and category pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from changes.models import migration_url
from changes.services import declare_decision_moves
from decisions.tests.factories import make_decision
from stacks import services as stacks
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def queues():
    function = make_category(name="Message queues")
    return {
        "rabbit": make_tool(name="RabbitMQ", slug="rabbitmq", function=function),
        "kafka": make_tool(name="Kafka", slug="kafka", function=function),
        "sqs": make_tool(name="SQS", slug="amazon-sqs", function=function),
    }


def move(old, new, *, company_name=None, days_ago=30, gap=20):
    """A company stack that drops ``old`` and, ``gap`` days later, adds ``new``."""
    now = timezone.now()
    company = make_company(name=company_name) if company_name else None
    stack = make_stack(company=company)
    stacks.add_tool_to_stack(
        stack=stack, tool=old, added_by=None, when=now - timedelta(days=400)
    )
    stacks.remove_tool_from_stack(
        stack=stack,
        tool=old,
        removed_by=None,
        when=now - timedelta(days=days_ago + gap),
    )
    stacks.add_tool_to_stack(
        stack=stack, tool=new, added_by=None, when=now - timedelta(days=days_ago)
    )
    return stack


def test_migration_page_tells_who_moved_how_fast_and_why(client, queues, member):
    """Teams newest first, the median time, the reverse move and the
    decisions marked as this move."""
    move(queues["rabbit"], queues["kafka"], company_name="Acme", days_ago=300, gap=10)
    move(queues["rabbit"], queues["kafka"], company_name="Globex", days_ago=20, gap=30)
    move(queues["rabbit"], queues["kafka"], company_name="Initech", days_ago=60, gap=40)
    move(queues["kafka"], queues["rabbit"], company_name="Hooli")
    decision = make_decision(
        author=member, title="Why we left RabbitMQ", chosen=[queues["kafka"]]
    )
    declare_decision_moves(
        decision=decision,
        from_tools=[queues["rabbit"]],
        to_tools=[queues["kafka"]],
        declared_by=member,
    )
    response = client.get(migration_url("rabbitmq", "kafka"))
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["team_count"] == 3
    assert response.context["median_days"] == 30
    assert "30 days" in content
    teams = content[content.index('id="team-list"') :]
    assert teams.index("Globex") < teams.index("Initech") < teams.index("Acme")
    assert "Hooli" not in content
    assert response.context["reverse_count"] == 1
    assert migration_url("kafka", "rabbitmq") in content
    assert "Why we left RabbitMQ" in content


def test_migration_page_query_budget_is_flat(client, queues, django_assert_num_queries):
    """The migration page costs the same queries for 1 or 11 teams."""
    move(queues["rabbit"], queues["kafka"], company_name="Acme")
    decision = make_decision(chosen=[queues["kafka"]])
    declare_decision_moves(
        decision=decision,
        from_tools=[queues["rabbit"]],
        to_tools=[queues["kafka"]],
        declared_by=decision.author,
    )
    url = migration_url("rabbitmq", "kafka")
    # the two tools, the teams' gaps, the newest teams (with owner), the
    # reverse count, the decisions (with author), their tags
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(10):
        move(queues["rabbit"], queues["kafka"], company_name=None)
        decision = make_decision(chosen=[queues["kafka"]])
        declare_decision_moves(
            decision=decision,
            from_tools=[queues["rabbit"]],
            to_tools=[queues["kafka"]],
            declared_by=decision.author,
        )
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["team_count"] == 11
    assert len(response.context["decisions"]) == 10  # the newest ten


def test_migration_page_reads_slugs_that_contain_to(client, queues):
    """A slug with "-to-" in it still names the right pair."""
    todo = make_tool(
        name="Go to market", slug="go-to-market", function=queues["kafka"].function
    )
    move(todo, queues["kafka"])
    response = client.get(migration_url("go-to-market", "kafka"))
    assert response.status_code == 200
    assert response.context["from_tool"] == todo


@pytest.mark.parametrize("pair", ["kafka-to-kafka", "kafka-to-nope", "kafka", "x-to-"])
def test_migration_page_of_unknown_pair_is_a_404(client, queues, pair):
    assert client.get(f"/migrations/{pair}/").status_code == 404


def test_tool_page_lists_where_teams_came_from_and_went(client, queues):
    move(queues["rabbit"], queues["kafka"])
    move(queues["rabbit"], queues["kafka"])
    move(queues["sqs"], queues["kafka"])
    move(queues["kafka"], queues["rabbit"])
    content = client.get(queues["kafka"].get_absolute_url()).content.decode()
    came_from = content[content.index('id="came-from"') : content.index('id="went-to"')]
    assert came_from.index("RabbitMQ") < came_from.index("SQS")
    assert "2 teams" in came_from
    assert migration_url("rabbitmq", "kafka") in came_from
    went_to = content[content.index('id="went-to"') :]
    assert migration_url("kafka", "rabbitmq") in went_to


def test_tool_page_draws_stacks_count_by_month_from_history(client, queues):
    """The chart's table holds 24 months; the count follows the history."""
    move(queues["rabbit"], queues["kafka"], days_ago=5, gap=100)
    response = client.get(queues["rabbit"].get_absolute_url())
    content = response.content.decode()
    assert "<svg" in content
    assert 'role="img"' in content
    trend = response.context["changes"].trend
    assert len(trend.months) == 24
    assert trend.months[-1].stacks == 0
    assert max(point.stacks for point in trend.months) == 1


def test_category_page_lists_rising_and_declining_tools(client, queues):
    move(queues["rabbit"], queues["kafka"])
    move(queues["rabbit"], queues["kafka"])
    response = client.get(
        reverse("tools:category", args=[queues["kafka"].function.slug])
    )
    movers = response.context["movers"]
    assert [m.name for m in movers.rising] == ["Kafka"]
    assert movers.rising[0].net == 2
    assert [m.name for m in movers.declining] == ["RabbitMQ"]
    content = response.content.decode()
    assert "Rising" in content
    assert "Declining" in content


def test_stackup_shows_moves_between_its_tools_both_ways(client, queues):
    move(queues["rabbit"], queues["kafka"])
    move(queues["rabbit"], queues["kafka"])
    move(queues["kafka"], queues["rabbit"])
    move(queues["sqs"], queues["kafka"])  # SQS is not compared
    content = client.get("/stackups/kafka-vs-rabbitmq/", follow=True).content.decode()
    moves = content[content.index('id="stackup-moves"') :]
    moves = moves[: moves.index("</ul>")]
    assert "RabbitMQ → Kafka" in moves
    assert "2 teams" in moves
    assert "Kafka → RabbitMQ" in moves
    assert "SQS" not in moves
    assert migration_url("kafka", "rabbitmq") in moves


def test_author_marks_a_decision_as_a_migration(client, queues, member):
    """The decision then links to the migration page, which lists it."""
    decision = make_decision(
        author=member,
        title="Leaving RabbitMQ",
        chosen=[queues["kafka"]],
        considered=[queues["rabbit"]],
    )
    client.force_login(member)
    url = reverse("changes:decision_migration", args=[decision.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"from_tools": [queues["rabbit"].pk], "to_tools": [queues["kafka"].pk]}
    )
    assert response.status_code == 302
    page = client.get(decision.get_absolute_url()).content.decode()
    assert migration_url("rabbitmq", "kafka") in page
    story = client.get(migration_url("rabbitmq", "kafka")).content.decode()
    assert "Leaving RabbitMQ" in story


def test_marking_refuses_one_sided_or_untagged_tools(client, queues, member):
    decision = make_decision(author=member, chosen=[queues["kafka"]])
    client.force_login(member)
    url = reverse("changes:decision_migration", args=[decision.pk])
    one_sided = client.post(url, {"to_tools": [queues["kafka"].pk]})
    assert one_sided.status_code == 400
    untagged = client.post(
        url, {"from_tools": [queues["sqs"].pk], "to_tools": [queues["kafka"].pk]}
    )
    assert untagged.status_code == 400
    assert not decision.declared_moves.exists()


def test_only_the_author_may_mark_a_decision(client, queues, member, other_member):
    decision = make_decision(
        author=member, chosen=[queues["kafka"]], considered=[queues["rabbit"]]
    )
    url = reverse("changes:decision_migration", args=[decision.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(other_member)
    response = client.post(
        url, {"from_tools": [queues["rabbit"].pk], "to_tools": [queues["kafka"].pk]}
    )
    assert response.status_code == 404
    assert not decision.declared_moves.exists()
