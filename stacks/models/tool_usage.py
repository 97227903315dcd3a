"""Stacks read per tool: the tools used beside it, and the companies and members using it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from accounts.models import User
from stacks.models.companies import Company
from stacks.models.stacks import StackItem
from tools.models import Tool


class ToolPairingQuerySet(models.QuerySet["ToolPairing"]):
    def for_tools(self, tools: list[Tool]) -> models.QuerySet[Any, Mapping[str, Any]]:
        """Tools most often found beside any of these, excluding them.

        Reads the precomputed table only: one indexed query however many
        stacks there are.
        """
        ids = [tool.pk for tool in tools]
        return (
            self.filter(tool__in=ids, other__status="approved")
            .exclude(other__in=ids)
            .values("other")
            .annotate(together=models.Sum("stack_count"))
            .order_by("-together", "other")
        )

    def often_used_with(self, tools: list[Tool], *, limit: int = 6) -> list[Tool]:
        """The approved tools most often found in the same stacks as these.

        For the tool page (one tool: one query) and the stackup page (several:
        two queries). Each tool comes with ``together``, the number of stacks
        it shares with them; its category is not read (the pages name none,
        and selecting the path cost 2 ms a tool page).
        """
        if len(tools) == 1:
            pairings = (
                self.filter(tool=tools[0], other__status="approved")
                .select_related("other")
                .order_by("-stack_count", "other__name")[:limit]
            )
            result = []
            for pairing in pairings:
                pairing.other.together = pairing.stack_count  # type: ignore[attr-defined]
                result.append(pairing.other)
            return result
        rows = list(self.for_tools(tools)[:limit])
        if not rows:
            return []
        counts = {row["other"]: row["together"] for row in rows}
        found = Tool.objects.filter(pk__in=counts).in_bulk()
        result = []
        for pk, together in counts.items():
            if pk in found:
                found[pk].together = together  # type: ignore[attr-defined]
                result.append(found[pk])
        return result


class ToolPairing(models.Model):
    """How many stacks list both tools; precomputed by ``refresh_tool_pairings``.

    Each pair is stored in both directions so "often used with X" is a
    plain indexed read of X's rows.
    """

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    stack_count = models.PositiveIntegerField()

    objects = ToolPairingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tool", "other"], name="toolpairing_once"),
            models.CheckConstraint(
                condition=~Q(tool=F("other")), name="toolpairing_not_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["tool", "-stack_count"], name="toolpairing_top"),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} + {self.other_id}: {self.stack_count}"


# A tool listed in more stack entries than this has its users found by
# walking companies and members in display order (see ToolUsers.of).
WALK_USERS_ABOVE = 1000


@dataclass(frozen=True)
class ToolUsers:
    """The first companies and members whose stacks list a tool, as the tool
    page shows them, and whether more companies do."""

    companies: list[Company]
    has_more_companies: bool
    members: list[User]

    @classmethod
    def of(cls, tool: Tool, *, limit: int = 6) -> ToolUsers:
        """Two queries: companies most followed first, members by name.

        No total is counted (that reads every entry); the page shows the
        tool's exact stack count instead.
        """
        found = list(Company.objects.listing_tool(tool).most_followed()[: limit + 1])
        entries = StackItem.objects.filter(tool=tool)
        if tool.stack_count > WALK_USERS_ABOVE:
            # Walked in name order (index ``user_by_name``), as for companies.
            members = User.objects.filter(
                Exists(entries.filter(stack__owner_user=OuterRef("pk")))
            )
        else:
            members = User.objects.filter(
                pk__in=entries.filter(stack__owner_user__isnull=False).values(
                    "stack__owner_user"
                )
            )
        return cls(
            companies=found[:limit],
            has_more_companies=len(found) > limit,
            members=list(
                members.filter(is_active=True).order_by("display_name", "username")[
                    :limit
                ]
            ),
        )
