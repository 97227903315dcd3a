"""Stacks that update themselves: applying a scan pushed from CI.

The same rules as the import screen (``detection.match_packages`` then
``services.import_into_stack``), with no person to untick anything: what
the import screen offers ticked (tools used at run time) is added, tools
found only among development dependencies are left out. Detected entries
a scan no longer finds are marked "not seen" and stay until a person
removes them; a scan that finds them again clears the mark. Every change
lands in the stack's history with the scan as its source.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

import scanner
from accounts.models import User
from stacks import services
from stacks.detection import match_packages
from stacks.models import (
    HistoryAction,
    Provenance,
    Stack,
    StackHistory,
    StackItem,
    StackScan,
)


@dataclass
class ScanOutcome:
    scan: StackScan
    repeated: bool = False
    added: list[str] = field(default_factory=list)
    not_seen: list[str] = field(default_factory=list)
    seen_again: list[str] = field(default_factory=list)
    unknown: int = 0


def scan_digest(stack_file: scanner.StackFile) -> str:
    """What the scan found, in a canonical form: its time and generator left out."""
    packages = sorted(
        (p.ecosystem, p.name, p.file, p.dev, p.website) for p in stack_file.packages
    )
    return hashlib.sha256(json.dumps(packages).encode()).hexdigest()


@transaction.atomic
def apply_scan(
    *, stack: Stack, stack_file: scanner.StackFile, pushed_by: User | None
) -> ScanOutcome:
    """Bring the stack in line with a pushed scan; the same scan twice changes nothing."""
    # One scan at a time per stack: two pushes racing would both add.
    Stack.objects.select_for_update().filter(pk=stack.pk).first()
    digest = scan_digest(stack_file)
    latest = StackScan.objects.filter(stack=stack).first()
    if latest is not None and latest.digest == digest:
        return ScanOutcome(scan=latest, repeated=True)

    now = timezone.now()
    detected = match_packages(
        stack_file.packages,
        stack=stack,
        warnings=stack_file.warnings,
        files=stack_file.files,
    )
    scan = StackScan.objects.create(
        stack=stack,
        digest=digest,
        generator=stack_file.generator[:120],
        generated_at=stack_file.generated_at[:40],
        pushed_by=pushed_by,
        package_count=len(stack_file.packages),
        received_at=now,
    )
    origin = f"push of {stack_file.generator or 'a scan'}"[:120]
    runtime = [c for c in detected.matched if not c.is_dev_only]
    added = services.import_into_stack(
        stack=stack,
        tools=[(c.tool, c.file) for c in runtime],
        added_by=pushed_by,
        origin=origin,
        scan=scan,
    )

    found = {c.tool.pk for c in [*detected.matched, *detected.present]}
    detected_items = StackItem.objects.filter(
        stack=stack, source=Provenance.DETECTED
    ).select_related("tool")
    gone = [
        i for i in detected_items if i.tool_id not in found and not i.not_seen_since
    ]
    back = [i for i in detected_items if i.tool_id in found and i.not_seen_since]
    StackItem.objects.filter(pk__in=[i.pk for i in gone]).update(not_seen_since=now)
    StackItem.objects.filter(pk__in=[i.pk for i in back]).update(not_seen_since=None)
    StackHistory.objects.bulk_create(
        StackHistory(
            stack=stack,
            tool=item.tool,
            tool_name=item.tool.name,
            action=HistoryAction.NOT_SEEN,
            source=Provenance.DETECTED,
            actor=pushed_by,
            scan=scan,
            created_at=now,
        )
        for item in gone
    )
    StackScan.objects.filter(pk=scan.pk).update(
        added_count=len(added), not_seen_count=len(gone)
    )
    if gone or back:
        Stack.objects.filter(pk=stack.pk).update(updated_at=now)
        services.stack_changed(stack, actor_ids=[pushed_by.pk] if pushed_by else [])
    return ScanOutcome(
        scan=scan,
        added=[item.tool.slug for item in added],
        not_seen=[item.tool.slug for item in gone],
        seen_again=[item.tool.slug for item in back],
        unknown=len(detected.unknown),
    )
