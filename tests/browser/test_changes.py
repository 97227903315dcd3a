"""Change over time in a real browser: from a tool page to a migration."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import make_member
from decisions.tests.factories import make_decision
from stacks import services as stacks
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queues():
    function = make_category(name="Message queues")
    rabbit = make_tool(name="RabbitMQ", slug="rabbitmq", function=function)
    kafka = make_tool(name="Kafka", slug="kafka", function=function)
    now = timezone.now()
    for name, gap in [("Acme", 10), ("Globex", 30)]:
        stack = make_stack(company=make_company(name=name))
        stacks.add_tool_to_stack(
            stack=stack, tool=rabbit, added_by=None, when=now - timedelta(days=300)
        )
        stacks.remove_tool_from_stack(
            stack=stack, tool=rabbit, removed_by=None, when=now - timedelta(days=50)
        )
        stacks.add_tool_to_stack(
            stack=stack, tool=kafka, added_by=None, when=now - timedelta(days=50 - gap)
        )
    return rabbit, kafka


def test_mark_a_decision_as_a_migration_and_read_the_migration_page(
    page, sign_in, queues
):
    """The author marks their post as the move; a reader follows the tool
    page's "went to" link to the migration page and finds it there."""
    rabbit, kafka = queues
    author = make_member(username="ada", display_name="Ada Lovelace")
    decision = make_decision(
        author=author,
        title="Why we left RabbitMQ for Kafka",
        chosen=[kafka],
        considered=[rabbit],
    )
    sign_in(page, author)
    page.goto(decision.get_absolute_url())
    page.get_by_role("link", name="Mark as a migration").click()
    page.get_by_role("group", name="Moving from").get_by_label("RabbitMQ").check()
    page.get_by_role("group", name="Moving to").get_by_label("Kafka").check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/decisions/{decision.pk}-"))
    expect(page.get_by_role("link", name="Migration: RabbitMQ → Kafka")).to_be_visible()

    page.goto("/tools/rabbitmq/")
    went_to = page.locator("#went-to")
    expect(went_to).to_contain_text("2 teams")
    went_to.get_by_role("link", name="Kafka").click()

    expect(page).to_have_url(re.compile(r"/migrations/rabbitmq-to-kafka/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("From RabbitMQ to Kafka")
    expect(page.locator("#team-count")).to_have_text("2")
    teams = page.locator("#team-list")
    expect(teams.get_by_role("listitem").first).to_contain_text("Globex")
    expect(teams).to_contain_text("Acme")
    expect(
        page.get_by_role("link", name="Why we left RabbitMQ for Kafka")
    ).to_be_visible()
    page.get_by_role("link", name="0 teams").click()
    expect(page).to_have_url(re.compile(r"/migrations/kafka-to-rabbitmq/$"))
    expect(page.get_by_text("No team has made this move yet")).to_be_visible()


def test_editor_sets_a_ring_on_the_company_radar(page, sign_in):
    """An owner puts a tool on hold with a reason; the radar list and the
    tool page say so."""
    owner = make_member(username="ada", display_name="Ada Lovelace")
    company = make_company(name="Acme", owner=owner)
    stack = make_stack(company=company, name="Platform")
    jenkins = make_tool(name="Jenkins", slug="jenkins")
    stacks.add_tool_to_stack(stack=stack, tool=jenkins, added_by=owner)
    sign_in(page, owner)
    page.goto(company.get_absolute_url())
    page.get_by_role("link", name="Tech radar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme tech radar")
    expect(page.get_by_role("img", name=re.compile("Acme tech radar"))).to_be_visible()

    page.get_by_label("Ring of Jenkins in Platform").select_option("hold")
    page.get_by_label("Reason for Jenkins in Platform").fill(
        "Pipelines move to Actions"
    )
    page.get_by_role("button", name="Save ring for Jenkins in Platform").click()

    expect(page).to_have_url(re.compile(r"/companies/acme/radar/#tool-jenkins$"))
    entry = page.locator("#tool-jenkins")
    expect(entry).to_contain_text("Pipelines move to Actions")
    expect(entry).to_contain_text("moved out")
    expect(page.get_by_label("Ring of Jenkins in Platform")).to_have_value("hold")
    expect(
        page.get_by_role("region", name="Ring changes in the last 90 days")
    ).to_contain_text("Jenkins: Adopt → Hold")

    page.goto("/tools/jenkins/")
    expect(page.locator("#on-hold")).to_have_text("1 company")


def test_author_records_the_outcome_of_a_decision(page, sign_in):
    """Add a revisit date, then record how it turned out; the post and the
    tool page show it."""
    author = make_member(username="ada", display_name="Ada Lovelace")
    kafka = make_tool(name="Kafka", slug="kafka")
    decision = make_decision(author=author, title="Adopt Kafka", chosen=[kafka])
    sign_in(page, author)
    page.goto(decision.get_absolute_url())
    page.get_by_role(
        "link", name="Add context, consequences and a revisit date"
    ).click()
    page.get_by_label("Context").fill("Our queues backed up every Monday.")
    page.get_by_label("Revisit on").fill("2030-01-15")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("Our queues backed up every Monday.")).to_be_visible()
    expect(page.get_by_text("Revisit on 15 Jan 2030")).to_be_visible()

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("Worked well").check()
    page.get_by_label("What happened").fill("Throughput doubled; one outage in a year.")
    page.get_by_role("button", name="Save the outcome").click()
    outcome = page.locator("#outcome")
    expect(outcome).to_contain_text("Worked well")
    expect(outcome).to_contain_text("Throughput doubled")

    page.goto("/tools/kafka/")
    expect(page.locator("#outcome-summary")).to_contain_text(
        "1 of 1 team who chose Kafka report it worked well"
    )
