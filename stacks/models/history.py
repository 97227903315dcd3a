"""A stack's past: its additions, removals and ring moves, and the scans pushed from CI."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from stacks.models.stacks import Provenance, Stack
from tools.models import Category, Tool


class HistoryAction(models.TextChoices):
    ADDED = "added", "Added"
    REMOVED = "removed", "Removed"
    NOT_SEEN = "not_seen", "Not seen in the latest scan"
    RING = "ring", "Moved to another ring"


# The events that change which tools a stack lists (what adoption counts,
# and what moves are derived from); a scan's "not seen" and a ring change
# leave the entry where it is.
MEMBERSHIP_ACTIONS = [HistoryAction.ADDED, HistoryAction.REMOVED]


class Ring(models.TextChoices):
    """How firmly a company stands behind one of its stack's tools, from the
    common tech-radar rings (the changes app draws the radar)."""

    ADOPT = "adopt", "Adopt"
    TRIAL = "trial", "Trial"
    ASSESS = "assess", "Assess"
    HOLD = "hold", "Hold"


# Innermost first, as radars draw them.
RING_ORDER = [Ring.ADOPT, Ring.TRIAL, Ring.ASSESS, Ring.HOLD]
RING_REASON_MAX_LENGTH = 280


class StackHistoryQuerySet(models.QuerySet["StackHistory"]):
    def timeline(self) -> Self:
        """Newest first, with the tool and who did it."""
        return self.select_related("tool", "actor").order_by("-created_at", "-pk")

    def membership(self) -> Self:
        """Additions and removals only: the events that change what a stack lists."""
        return self.filter(action__in=MEMBERSHIP_ACTIONS)

    def ring_changes(self) -> Self:
        return self.filter(action=HistoryAction.RING)


class StackHistory(models.Model):
    """One addition to or removal from a stack, or one move of a company
    stack's entry between radar rings, kept for good."""

    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="history")
    # Indexed by stackhistory_by_tool, which starts with it.
    tool = models.ForeignKey(
        Tool, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    # The name at the time, so the timeline survives a deleted tool.
    tool_name = models.CharField(max_length=100)
    action = models.CharField(max_length=10, choices=HistoryAction)
    source = models.CharField(
        max_length=10, choices=Provenance, default=Provenance.MANUAL
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The pushed scan behind the change, if one was (stacks.scans).
    scan = models.ForeignKey(
        "StackScan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A ring change's two rings and the editor's reason; blank otherwise.
    ring_from = models.CharField(max_length=10, choices=Ring, blank=True)
    ring_to = models.CharField(max_length=10, choices=Ring, blank=True)
    reason = models.CharField(max_length=RING_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StackHistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "stack history event"
        verbose_name_plural = "stack history"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=HistoryAction.values),
                name="stackhistory_action_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=Provenance.values),
                name="stackhistory_source_valid",
            ),
            # A ring change names two different rings; no other event names one.
            models.CheckConstraint(
                condition=(
                    Q(
                        action=HistoryAction.RING,
                        ring_from__in=Ring.values,
                        ring_to__in=Ring.values,
                    )
                    & ~Q(ring_from=F("ring_to"))
                )
                | (~Q(action=HistoryAction.RING) & Q(ring_from="", ring_to="")),
                name="stackhistory_rings_only_on_ring_changes",
            ),
        ]
        indexes = [
            models.Index(fields=["stack", "-created_at"], name="stackhistory_timeline"),
            # A tool's adoption month by month and a category's movers
            # (changes.trends) read the index alone, not the table: those
            # queries read nothing but these three columns.
            models.Index(
                fields=["tool", "created_at"],
                include=["action"],
                name="stackhistory_by_tool_when",
            ),
            # The site-wide feed's stack changes, newest first: without it
            # PostgreSQL sorted every addition and removal for the newest
            # twenty (3.3 s at scale 1, 1.2 million events).
            models.Index(
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(action__in=MEMBERSHIP_ACTIONS),
                name="stackhistory_membership_newest",
            ),
        ]

    def __str__(self) -> str:
        if self.is_ring_change:
            return f"{self.tool_name}: {self.ring_from} → {self.ring_to}"
        return f"{self.get_action_display()} {self.tool_name}"

    @property
    def is_ring_change(self) -> bool:
        return self.action == HistoryAction.RING

    @property
    def is_inward(self) -> bool:
        """A ring change towards adopt (radar builders draw it inwards)."""
        return self.is_ring_change and RING_ORDER.index(
            Ring(self.ring_to)
        ) < RING_ORDER.index(Ring(self.ring_from))


class AdoptionMonth(models.Model):
    """One tool's additions to and removals from stacks in one month: the
    stacks' history (its membership events) summed by month.

    A read model, kept exact by the services that write that history
    (``stacks.services.adoption``), so a tool's adoption trend and a
    category's movers read a few rows per tool instead of every event (a
    popular tool has tens of thousands). Deleting a stack deletes its
    events, and takes them out of these sums too.
    """

    # Looked up by the unique (tool, month) index, which also bounds the
    # months read: a category's movers read two rows a tool, not all of
    # them (9 to 6 ms for a layer at scale 1). An index on the tool alone
    # only made the planner prefer it.
    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The first day of the month, in the site's time zone (as TruncMonth).
    month = models.DateField()
    # Plain integers: taking a deleted stack's events out proposes negative
    # values to the upsert (stacks.services.adoption), which a positive
    # field's check would refuse before the row is updated.
    added = models.IntegerField(default=0)
    removed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "month"], name="adoptionmonth_one_per_tool_month"
            ),
        ]
        indexes = [
            # A category's movers: the last months of every tool, read from
            # the index alone.
            models.Index(
                fields=["month"],
                include=["tool", "added", "removed"],
                name="adoptionmonth_by_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.month:%Y-%m}: +{self.added} -{self.removed}"


# The months a category's movers sum: this one and the five before.
RECENT_MONTHS = 6


class RecentAdoptionQuerySet(models.QuerySet["RecentAdoption"]):
    def is_current(self, since: date) -> bool:
        """Whether these rows all sum from ``since``: none is left from an
        earlier month (``recount_stale_recent_adoption`` sums those again
        once a month has begun)."""
        return not self.filter(Q(since__lt=since) | Q(since__gt=since)).exists()


class RecentAdoption(models.Model):
    """One tool's additions and removals over its last ``RECENT_MONTHS``
    monthly sums, from the month ``since`` on, once under each node of its
    place in the catalog (its function, that function's category and its
    layer): what a category's rising and declining tools are read from,
    the first few in order off an index.

    A read model of ``AdoptionMonth``, rewritten from it for the tools a
    write touches (``stacks.services.adoption``) and for those a moderator
    moves in the catalog (``stacks.receivers``), so it is exact while its
    months are the current ones; once a month has begun, its rows are
    summed again (``recount_stale_recent_adoption``), and until then
    readers add up the months themselves. Added up at read time, a layer's
    movers summed a third of the catalog's months: 20 to 80 ms of its page
    at scale 1, against a tenth of a millisecond read off this index.
    """

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    # The first month summed.
    since = models.DateField()
    added = models.IntegerField()
    removed = models.IntegerField()
    # added - removed, which the movers are ordered by.
    net = models.IntegerField()

    objects = RecentAdoptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "tool"], name="recentadoption_once_per_node"
            ),
        ]
        indexes = [
            # A category's current rows by net change: rising from its top,
            # declining from its bottom.
            models.Index(
                fields=["category", "since", "net"], name="recentadoption_by_net"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} in {self.category_id} since {self.since:%Y-%m}: {self.net:+}"


class StackScan(models.Model):
    """A scan pushed from CI (``stackshare-scan --push``) and what it changed."""

    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="scans")
    # The packages' digest: the same scan pushed again is recognised and
    # changes nothing.
    digest = models.CharField(max_length=64)
    generator = models.CharField(max_length=120, blank=True)
    generated_at = models.CharField(max_length=40, blank=True)
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    package_count = models.PositiveIntegerField(default=0)
    added_count = models.PositiveIntegerField(default=0)
    not_seen_count = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["stack", "digest"], name="stackscan_digest")]

    def __str__(self) -> str:
        return f"scan of {self.stack_id} at {self.received_at:%Y-%m-%d %H:%M}"
