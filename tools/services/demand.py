"""Demand: packages nothing in the catalog names, counted from scans, then made aliases or new tools."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import ModerationAction, User
from accounts.services import record_moderation
from stackshare.hostile import is_storable
from tools.models import (
    Alias,
    Category,
    Ecosystem,
    Tool,
    UnknownPackage,
    UnknownPackageSighting,
    normalize_package_name,
)
from tools.services.curation import submit_tool

if TYPE_CHECKING:
    from stacks.models import Stack


MAX_UNKNOWN_PER_SCAN = 2000


def record_unknown_packages(
    packages: Iterable[tuple[str, str]], *, stack: Stack | None = None
) -> int:
    """Count one scan of these (ecosystem, name) packages that matched no tool.

    Each package's scan count goes up by one; its stack count only the first
    time this stack shows it, so scanning a stack again keeps the count of
    stacks exact. A fixed number of queries however many packages.
    Returns how many distinct packages were counted.
    """
    wanted: dict[tuple[str, str], str] = {}
    for ecosystem, name in packages:
        if ecosystem not in Ecosystem.values or not is_storable(name):
            continue
        key = (ecosystem, normalize_package_name(ecosystem, name)[:200])
        wanted.setdefault(key, name.strip()[:200])
        if len(wanted) >= MAX_UNKNOWN_PER_SCAN:
            break
    if not wanted:
        return 0
    now = timezone.now()
    with transaction.atomic():
        UnknownPackage.objects.bulk_create(
            [
                UnknownPackage(
                    ecosystem=ecosystem,
                    name=name,
                    display_name=display,
                    first_seen=now,
                    last_seen=now,
                )
                for (ecosystem, name), display in wanted.items()
            ],
            ignore_conflicts=True,
        )
        condition = Q()
        for ecosystem in {ecosystem for ecosystem, _ in wanted}:
            condition |= Q(
                ecosystem=ecosystem,
                name__in=[n for e, n in wanted if e == ecosystem],
            )
        ids = list(
            UnknownPackage.objects.filter(condition).values_list("pk", flat=True)
        )
        UnknownPackage.objects.filter(pk__in=ids).update(
            scan_count=F("scan_count") + 1, last_seen=now
        )
        if stack is not None:
            seen = set(
                UnknownPackageSighting.objects.filter(
                    stack=stack, package__in=ids
                ).values_list("package", flat=True)
            )
            UnknownPackageSighting.objects.filter(stack=stack, package__in=seen).update(
                scan_count=F("scan_count") + 1, last_seen=now
            )
            new = [pk for pk in ids if pk not in seen]
            UnknownPackageSighting.objects.bulk_create(
                [
                    UnknownPackageSighting(package_id=pk, stack=stack, last_seen=now)
                    for pk in new
                ],
                ignore_conflicts=True,
            )
            UnknownPackage.objects.filter(pk__in=new).update(
                stack_count=F("stack_count") + 1
            )
    return len(ids)


@transaction.atomic
def alias_unknown_packages(
    *, packages: Iterable[UnknownPackage], tool: Tool, actor: User
) -> list[Alias]:
    """Make these unknown packages aliases of an existing tool.

    A package some other tool already has as an alias is left alone (and
    left unresolved, so a moderator sees it again).
    """
    added = []
    for package in packages:
        alias, created = Alias.objects.get_or_create(
            ecosystem=package.ecosystem,
            name=package.name,
            defaults={"tool": tool},
        )
        if alias.tool_id != tool.pk:
            continue
        if created:
            added.append(alias)
        package.resolved_tool = tool
        package.save(update_fields=["resolved_tool"])
    if added:
        record_moderation(
            actor=actor,
            action=ModerationAction.EDIT,
            target=tool,
            reason="aliases added from unknown packages: "
            + ", ".join(str(alias) for alias in added)[:400],
        )
    return added


@transaction.atomic
def create_tool_from_unknown_package(
    *,
    package: UnknownPackage,
    name: str,
    function: Category,
    website: str,
    actor: User,
) -> Tool:
    """A tool pre-filled from an unknown package: pending until it is described
    and approved, with the package as its first alias."""
    tool = submit_tool(
        submitted_by=actor,
        name=name,
        function=function,
        website=website,
        repository_url=package.registry_url
        if package.ecosystem == Ecosystem.ACTIONS
        else "",
    )
    alias_unknown_packages(packages=[package], tool=tool, actor=actor)
    return tool
