"""Migration and radar pages are cached for anonymous readers; changes show at once."""

from __future__ import annotations

import pytest

from changes.models import migration_url
from changes.services import declare_decision_moves, set_ring
from decisions.tests.factories import make_decision
from stacks import services as stacks
from stacks.models import Ring
from stacks.tests.factories import make_company, make_item, make_stack
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def test_migration_page_shows_new_moves_and_decisions(
    cached, client, commit, django_assert_num_queries
):
    function = make_category(name="Queues")
    rabbit = make_tool(name="RabbitMQ", slug="rabbitmq", function=function)
    kafka = make_tool(name="Kafka", slug="kafka", function=function)
    url = migration_url("rabbitmq", "kafka")
    assert client.get(url).context["team_count"] == 0
    with django_assert_num_queries(0):
        client.get(url)
    stack = make_stack(tools=[rabbit])

    def swap():
        stacks.remove_tool_from_stack(stack=stack, tool=rabbit, removed_by=None)
        stacks.add_tool_to_stack(stack=stack, tool=kafka, added_by=None)

    commit(swap)
    assert client.get(url).context["team_count"] == 1
    decision = make_decision(title="Why we moved", chosen=[kafka])
    commit(
        lambda: declare_decision_moves(
            decision=decision,
            from_tools=[rabbit],
            to_tools=[kafka],
            declared_by=decision.author,
        )
    )
    assert "Why we moved" in client.get(url).content.decode()


def test_radar_shows_a_new_ring_at_once(cached, client, commit, member):
    company = make_company(name="Acme", owner=member)
    item = make_item(stack=make_stack(company=company), tool=make_tool(name="Jenkins"))
    url = "/companies/acme/radar/"
    assert "Too much upkeep" not in client.get(url).content.decode()
    commit(
        lambda: set_ring(
            item=item, ring=Ring.HOLD, reason="Too much upkeep", actor=member
        )
    )
    assert "Too much upkeep" in client.get(url).content.decode()
    assert client.get("/companies/acme/radar.csv").content.decode().count("Hold") == 1
