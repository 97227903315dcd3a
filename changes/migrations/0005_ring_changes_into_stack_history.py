"""Ring changes become events of their stack's history (``StackHistory``
with action "ring"), beside the stack's additions and removals; the rows
kept so far in ``changes.RingChange`` are copied there (and back, when
going backwards)."""

from __future__ import annotations

from django.db import migrations
from django.db.models import F

BATCH = 2000


def copy_into_history(apps, schema_editor):
    RingChange = apps.get_model("changes", "RingChange")
    StackHistory = apps.get_model("stacks", "StackHistory")
    changes = (
        RingChange.objects.exclude(ring_from__exact=F("ring_to"))
        .select_related("tool")
        .order_by("pk")
    )
    batch = []
    for change in changes.iterator(chunk_size=BATCH):
        batch.append(
            StackHistory(
                stack_id=change.stack_id,
                tool_id=change.tool_id,
                tool_name=change.tool.name,
                action="ring",
                source="manual",
                actor_id=change.actor_id,
                ring_from=change.ring_from,
                ring_to=change.ring_to,
                reason=change.reason,
                created_at=change.created_at,
            )
        )
        if len(batch) >= BATCH:
            StackHistory.objects.bulk_create(batch)
            batch = []
    StackHistory.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    RingChange = apps.get_model("changes", "RingChange")
    StackHistory = apps.get_model("stacks", "StackHistory")
    events = (
        StackHistory.objects.filter(
            action="ring", tool__isnull=False, stack__company__isnull=False
        )
        .select_related("stack")
        .order_by("pk")
    )
    RingChange.objects.bulk_create(
        (
            RingChange(
                company_id=event.stack.company_id,
                stack_id=event.stack_id,
                tool_id=event.tool_id,
                ring_from=event.ring_from,
                ring_to=event.ring_to,
                reason=event.reason,
                actor_id=event.actor_id,
                created_at=event.created_at,
            )
            for event in events.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
    StackHistory.objects.filter(action="ring").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0004_draft_decisions"),
        ("stacks", "0011_history_ring_changes"),
    ]

    operations = [migrations.RunPython(copy_into_history, copy_back)]
