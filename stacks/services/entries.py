"""Writes to a stack's entries: adding and removing tools, notes, ring moves and imports.

Every change to a stack's tools goes through ``add_tool_to_stack`` or
``remove_tool_from_stack`` (``import_into_stack`` adds many at once): they
write the history row and move the counters (``Tool.stack_count``, ``Stack.item_count``, ``Company.tool_count``)
in the same transaction, and only when a row was really created or deleted.
The unique constraint on (stack, tool) turns a concurrent second add into a
no-op, so counts stay exact however many clicks arrive at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

import scanner
from accounts.models import User
from stacks.detection import Detected, match_packages
from stacks.models import (
    RING_REASON_MAX_LENGTH,
    HistoryAction,
    Provenance,
    Ring,
    Stack,
    StackHistory,
    StackItem,
    StackScan,
    stack_page_version,
)
from stacks.services.adoption import count_adoption
from stacks.services.companies import refresh_company_tool_count
from stacks.services.stacks import stack_changed
from stacks.signals import stack_history_many_recorded, stack_history_recorded
from stackshare.caching import bump
from tools.models import Tool
from tools.services import record_unknown_packages


@dataclass(frozen=True)
class Detection:
    """Where a detected tool was found: the file, and the scan or upload."""

    file: str
    origin: str


@transaction.atomic
def add_tool_to_stack(
    *,
    stack: Stack,
    tool: Tool,
    added_by: User | None,
    note: str = "",
    detection: Detection | None = None,
    when: datetime | None = None,
) -> tuple[StackItem, bool]:
    """Add a tool to a stack; adding it twice is a no-op.

    Returns the entry and whether it was created. ``detection`` marks the
    entry as found in a manifest rather than added by hand.
    """
    when = when or timezone.now()
    source = Provenance.DETECTED if detection else Provenance.MANUAL
    try:
        with transaction.atomic():
            item = StackItem.objects.create(
                stack=stack,
                tool=tool,
                note=note.strip(),
                source=source,
                detected_file=detection.file[:300] if detection else "",
                detected_from=detection.origin[:120] if detection else "",
                detected_at=when if detection else None,
                added_by=added_by,
                added_at=when,
            )
    except IntegrityError:
        return StackItem.objects.get(stack=stack, tool=tool), False
    history = StackHistory.objects.create(
        stack=stack,
        tool=tool,
        tool_name=tool.name,
        action=HistoryAction.ADDED,
        source=source,
        actor=added_by,
        created_at=when,
    )
    count_adoption([history])
    Tool.objects.filter(pk=tool.pk).update(stack_count=F("stack_count") + 1)
    _touch_stack(stack, when=when, items=+1, actor=added_by)
    stack_history_recorded.send(sender=StackHistory, history=history)
    # The tool's stacks count and "companies using it" show on cached pages.
    bump(tools=[tool.slug], lists=True)
    return item, True


@transaction.atomic
def remove_tool_from_stack(
    *, stack: Stack, tool: Tool, removed_by: User | None, when: datetime | None = None
) -> bool:
    """Take a tool out of a stack; False when it was not there."""
    when = when or timezone.now()
    deleted, _ = StackItem.objects.filter(stack=stack, tool=tool).delete()
    if not deleted:
        return False
    history = StackHistory.objects.create(
        stack=stack,
        tool=tool,
        tool_name=tool.name,
        action=HistoryAction.REMOVED,
        actor=removed_by,
        created_at=when,
    )
    count_adoption([history])
    Tool.objects.filter(pk=tool.pk).update(stack_count=F("stack_count") - 1)
    _touch_stack(stack, when=when, items=-1, actor=removed_by)
    stack_history_recorded.send(sender=StackHistory, history=history)
    bump(tools=[tool.slug], lists=True)
    return True


@transaction.atomic
def record_ring_change(
    *,
    item: StackItem,
    ring_from: Ring,
    ring_to: Ring,
    reason: str = "",
    actor: User | None,
    when: datetime | None = None,
) -> StackHistory:
    """Write a company stack entry's move between radar rings into the
    stack's history, beside its additions and removals.

    The ring itself is kept by the changes app (``changes.services.set_ring``,
    the one caller), which checks editing rights and that the ring changed.
    """
    when = when or timezone.now()
    stack = item.stack
    history = StackHistory.objects.create(
        stack=stack,
        tool_id=item.tool_id,
        tool_name=item.tool.name,
        action=HistoryAction.RING,
        actor=actor,
        ring_from=ring_from,
        ring_to=ring_to,
        reason=reason[:RING_REASON_MAX_LENGTH],
        created_at=when,
    )
    # Recently updated, unless the change is dated before its last update.
    Stack.objects.filter(pk=stack.pk, updated_at__lt=when).update(updated_at=when)
    # The stack page's history, the company's page and radar.
    stack_changed(stack, actor_ids=[actor.pk] if actor else [])
    return history


@transaction.atomic
def edit_stack_note(*, item: StackItem, note: str) -> StackItem:
    """Change the "why we use it" line of an entry."""
    item.note = " ".join(note.split())
    item.save(update_fields=["note"])
    Stack.objects.filter(pk=item.stack_id).update(updated_at=timezone.now())
    bump(stack_page_version(item.stack.slug))
    return item


@transaction.atomic
def import_into_stack(
    *,
    stack: Stack,
    tools: Iterable[tuple[Tool, str]],
    added_by: User | None,
    origin: str,
    scan: StackScan | None = None,
) -> list[StackItem]:
    """Add detected tools (each with the file it was found in), all or nothing.

    Tools already in the stack are left as they are; the new entries are
    returned. What ``add_tool_to_stack`` does for one tool is done here for
    all of them at once, in a fixed number of queries however many tools
    there are: the entries with their evidence, one history row each (with
    ``scan`` as its source when a pushed scan brought them), the counters,
    ``stack_history_many_recorded`` for what other apps derive from the
    history, and the cached pages.
    """
    wanted: dict[int, tuple[Tool, str]] = {}
    for tool, file in tools:
        wanted.setdefault(tool.pk, (tool, file))
    if not wanted:
        return []
    present = set(
        StackItem.objects.filter(stack=stack, tool_id__in=list(wanted)).values_list(
            "tool_id", flat=True
        )
    )
    new = [pair for pk, pair in wanted.items() if pk not in present]
    if not new:
        return []
    when = timezone.now()
    detection = {"detected_from": origin[:120], "detected_at": when}
    try:
        with transaction.atomic():
            items = StackItem.objects.bulk_create(
                StackItem(
                    stack=stack,
                    tool=tool,
                    source=Provenance.DETECTED,
                    detected_file=file[:300],
                    added_by=added_by,
                    added_at=when,
                    **detection,
                )
                for tool, file in new
            )
    except IntegrityError:
        # Someone added one of these tools since they were read: one by one,
        # where an entry already there is a no-op.
        return _import_one_by_one(
            stack=stack, tools=new, added_by=added_by, origin=origin, scan=scan
        )
    histories = StackHistory.objects.bulk_create(
        StackHistory(
            stack=stack,
            tool=tool,
            tool_name=tool.name,
            action=HistoryAction.ADDED,
            source=Provenance.DETECTED,
            actor=added_by,
            scan=scan,
            created_at=when,
        )
        for tool, _file in new
    )
    count_adoption(histories)
    Tool.objects.filter(pk__in=[tool.pk for tool, _file in new]).update(
        stack_count=F("stack_count") + 1
    )
    _touch_stack(stack, when=when, items=len(items), actor=added_by)
    stack_history_many_recorded.send(
        sender=StackHistory, stack=stack, histories=histories
    )
    bump(tools=[tool.slug for tool, _file in new], lists=True)
    return items


def _import_one_by_one(
    *,
    stack: Stack,
    tools: list[tuple[Tool, str]],
    added_by: User | None,
    origin: str,
    scan: StackScan | None,
) -> list[StackItem]:
    added = []
    for tool, file in tools:
        item, created = add_tool_to_stack(
            stack=stack,
            tool=tool,
            added_by=added_by,
            detection=Detection(file=file, origin=origin),
        )
        if created:
            added.append(item)
    if scan is not None and added:
        StackHistory.objects.filter(
            stack=stack,
            action=HistoryAction.ADDED,
            tool__in=[item.tool_id for item in added],
            scan__isnull=True,
            created_at__gte=added[0].added_at,
        ).update(scan=scan)
    return added


def _touch_stack(
    stack: Stack, *, when: datetime, items: int, actor: User | None
) -> None:
    Stack.objects.filter(pk=stack.pk).update(
        item_count=F("item_count") + items, updated_at=when
    )
    if stack.company_id:
        refresh_company_tool_count(company_id=stack.company_id)
    stack_changed(stack, actor_ids=[actor.pk] if actor else [])


def preview_import(
    packages: Iterable[scanner.Package],
    *,
    stack: Stack | None,
    warnings: Iterable[scanner.Warning] = (),
    files: Iterable[str] = (),
) -> Detected:
    """Match a scan to the catalog for review, and count what it could not match.

    The one entry point for every way a scan arrives (the import page, the
    ``import_stack`` command, a CI push): the packages no alias names are
    counted as demand (``tools.services.record_unknown_packages``), once per
    stack however often it is scanned again.
    """
    detected = match_packages(packages, stack=stack, warnings=warnings, files=files)
    record_unknown_packages(
        [(p.ecosystem, p.name) for p in detected.unknown if p.ecosystem != "techstack"],
        stack=stack,
    )
    return detected
