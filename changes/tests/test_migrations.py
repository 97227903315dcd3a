"""The data migration that moved ring changes into the stacks' history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_tool

BEFORE = [("changes", "0004_draft_decisions")]
AFTER = [("changes", "0006_remove_ringchange")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def latest_schema_afterwards():
    """Leave the database fully migrated, as every later test on this worker expects."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_afterwards")
def test_ring_changes_kept_so_far_become_stack_history_events(member):
    company = make_company(name="Acme", owner=member)
    stack = make_stack(company=company, name="Platform")
    jenkins = make_tool(name="Jenkins")
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    RingChange = old_apps.get_model("changes", "RingChange")
    RingChange.objects.create(
        company_id=company.pk,
        stack_id=stack.pk,
        tool_id=jenkins.pk,
        ring_from="adopt",
        ring_to="hold",
        reason="Too much upkeep",
        actor_id=member.pk,
        created_at=when,
    )
    new_apps = migrate(AFTER).loader.project_state(AFTER).apps
    history = new_apps.get_model("stacks", "StackHistory")
    event = history.objects.get(stack_id=stack.pk, action="ring")
    assert (
        event.tool_id,
        event.tool_name,
        event.ring_from,
        event.ring_to,
        event.reason,
        event.actor_id,
        event.created_at,
    ) == (jenkins.pk, "Jenkins", "adopt", "hold", "Too much upkeep", member.pk, when)

    # And back: the rows return to RingChange, the history as it was.
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    restored = old_apps.get_model("changes", "RingChange").objects.get()
    assert (restored.company_id, restored.ring_to, restored.reason) == (
        company.pk,
        "hold",
        "Too much upkeep",
    )
    assert (
        not old_apps.get_model("stacks", "StackHistory")
        .objects.filter(action="ring")
        .exists()
    )
