"""Change over time: what a stack's history says teams moved between.

A *move* is derived from one stack's history: a tool removed and another
tool of the same function added within ``MOVE_WINDOW`` of each other, in
either order (teams often run both for a while). ``changes.services`` keeps
the table exact as history is written, and ``rebuild_moves`` recomputes it
from the history to check it. A decision may also declare the move it
explains (``DecisionMove``); the migration page shows both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from changes.trends import AdoptionTrend, adoption_trend
from decisions.models import Decision, ToolRole
from stacks.models import (
    RING_REASON_MAX_LENGTH,
    Company,
    Ring,
    Stack,
    StackItem,
)
from stackshare.paths import slug_path
from tools.models import Tool

MOVE_WINDOW = timedelta(days=180)


def migration_url(from_slug: str, to_slug: str) -> str:
    """The address of the page about teams moving from one tool to another
    (a tool page links ten, without a URL reversal each)."""
    return slug_path("changes:migration", f"{from_slug}-to-{to_slug}", kwarg="pair")


class MoveQuerySet(models.QuerySet["Move"]):
    def between(self, from_tool: Tool, to_tool: Tool) -> Self:
        return self.filter(from_tool=from_tool, to_tool=to_tool)

    def involving(self, tool: Tool) -> models.QuerySet[Any, Mapping[str, Any]]:
        """Moves to or from ``tool``, counted by direction, most teams first.

        One grouped query for both "came from" and "went to": a tool has
        few moves of its own kind, so the rows are few.
        """
        return (
            self.filter(Q(to_tool=tool) | Q(from_tool=tool))
            .values(
                "from_tool_id",
                "from_tool__slug",
                "from_tool__name",
                "to_tool__slug",
                "to_tool__name",
            )
            .annotate(teams=Count("pk"))
            .order_by("-teams", "from_tool__name", "to_tool__name")
        )

    def among(self, tools: list[Tool]) -> models.QuerySet[Any, Mapping[str, Any]]:
        """Moves between any two of these tools, grouped by direction."""
        ids = [tool.pk for tool in tools]
        return (
            self.filter(from_tool__in=ids, to_tool__in=ids)
            .values(
                "from_tool__slug", "from_tool__name", "to_tool__slug", "to_tool__name"
            )
            .annotate(teams=Count("pk"))
            .order_by("-teams", "from_tool__name", "to_tool__name")
        )


class Move(models.Model):
    """One stack that dropped ``from_tool`` for ``to_tool`` (same function).

    Derived from the stack's history, never edited by hand. When a stack
    holds several qualifying pairs of events for the same two tools, the row
    keeps the pair that completed first (then the shortest), so the table
    is a pure function of the history.
    """

    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="+")
    from_tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="moves_out"
    )
    to_tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="moves_in")
    left_at = models.DateTimeField(help_text="When the old tool was removed.")
    arrived_at = models.DateTimeField(help_text="When the new tool was added.")
    # The later of the two: when the move was complete.
    moved_at = models.DateTimeField()
    days = models.PositiveIntegerField(help_text="Days between the two events.")

    objects = MoveQuerySet.as_manager()

    class Meta:
        ordering = ["-moved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stack", "from_tool", "to_tool"], name="move_once_per_stack"
            ),
            models.CheckConstraint(
                condition=~Q(from_tool=F("to_tool")), name="move_between_two_tools"
            ),
        ]
        indexes = [
            models.Index(fields=["to_tool", "from_tool"], name="move_by_destination"),
            models.Index(
                fields=["from_tool", "to_tool", "-moved_at"], name="move_by_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_tool_id} → {self.to_tool_id} in {self.stack_id}"


class DecisionMoveQuerySet(models.QuerySet["DecisionMove"]):
    def for_decision(self, decision: Decision) -> Self:
        """What one decision declares, with both tools."""
        return (
            self.filter(decision=decision)
            .select_related("from_tool", "to_tool")
            .order_by("from_tool__name", "to_tool__name")
        )


class DecisionMove(models.Model):
    """A decision that declares (and explains) a move between two tools."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="declared_moves"
    )
    from_tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    to_tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")

    objects = DecisionMoveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "from_tool", "to_tool"], name="decisionmove_once"
            ),
            models.CheckConstraint(
                condition=~Q(from_tool=F("to_tool")),
                name="decisionmove_between_two_tools",
            ),
        ]
        indexes = [
            models.Index(fields=["from_tool", "to_tool"], name="decisionmove_by_pair")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.from_tool_id} → {self.to_tool_id}"

    def get_absolute_url(self) -> str:
        return migration_url(self.from_tool.slug, self.to_tool.slug)


RING_HELP = {
    Ring.ADOPT: "Our default: proven here, use it.",
    Ring.TRIAL: "In use on some projects, still proving itself.",
    Ring.ASSESS: "Being explored; not for production yet.",
    Ring.HOLD: "Still running, but nothing new should start on it.",
}
# The ring's reason is kept with the ring, and with each change in the history.
REASON_MAX_LENGTH = RING_REASON_MAX_LENGTH


class RadarEntryQuerySet(models.QuerySet["RadarEntry"]):
    def companies_per_ring(
        self, tool_ids: Iterable[int]
    ) -> models.QuerySet[Any, tuple[int, str, int]]:
        """(tool, ring, companies): for each of these tools, how many
        companies put it on hold or in trial, from the live entries."""
        return (
            self.filter(tool__in=tool_ids, ring__in=[Ring.HOLD, Ring.TRIAL])
            .order_by()
            .values("tool", "ring")
            .annotate(companies=Count("item__stack__company", distinct=True))
            .values_list("tool", "ring", "companies")
        )


class RadarEntry(models.Model):
    """The ring of one company stack entry; an entry without one is adopted.

    Each change of ring is an event of the stack's history
    (``stacks.StackHistory``, action "ring"), written by ``set_ring``.
    """

    item = models.OneToOneField(
        StackItem, on_delete=models.CASCADE, related_name="radar"
    )
    # The entry's tool, copied from it (set_ring; a merge moves both), so a
    # tool's hold and trial counts read its own entries from an index rather
    # than every entry in those rings joined with all the tool's stack
    # entries (22 ms for a popular tool at scale 1).
    # Indexed by radarentry_by_tool, which starts with it.
    tool = models.ForeignKey(
        Tool,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
        db_index=False,
    )
    ring = models.CharField(max_length=10, choices=Ring, default=Ring.ADOPT)
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RadarEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "radar entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(ring__in=Ring.values), name="radarentry_ring_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["ring", "item"], name="radarentry_by_ring"),
            models.Index(
                fields=["tool", "ring"], include=["item"], name="radarentry_by_tool"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.get_ring_display()}"


MOVES_SHOWN = 5


@dataclass(frozen=True)
class ToolChanges:
    """What the tool page shows about change: moves in and out, adoption,
    and the tool's standing (companies holding it or trialling it, the
    outcomes reported by the teams whose decisions chose it)."""

    came_from: list[Mapping[str, Any]]
    went_to: list[Mapping[str, Any]]
    trend: AdoptionTrend
    standing: ToolStanding


def tool_changes(tool: Tool, *, limit: int = MOVES_SHOWN) -> ToolChanges:
    """Two queries: the moves in and out, and the monthly stacks count; a
    third for the tool's standing (rings and outcomes, counted ahead) unless
    the tool was read with it (``select_related("standing")``). No query for
    the moves of a tool read with ``in_moves`` false (see
    ``tools.views.tool_page.ToolPage.tools``)."""
    rows = list(Move.objects.involving(tool)) if getattr(tool, "in_moves", True) else []
    try:
        standing = tool.standing
    except ToolStanding.DoesNotExist:
        standing = ToolStanding()
    return ToolChanges(
        came_from=[row for row in rows if row["from_tool_id"] != tool.pk][:limit],
        went_to=[row for row in rows if row["from_tool_id"] == tool.pk][:limit],
        trend=adoption_trend(tool),
        standing=standing,
    )


def median(values: list[int]) -> float | None:
    """The middle value (the mean of the two middle ones); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


class RecordStatus(models.TextChoices):
    """Where a decision stands, as architecture decision records say it."""

    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    SUPERSEDED = "superseded", "Superseded"
    DEPRECATED = "deprecated", "Deprecated"


class Outcome(models.TextChoices):
    WORKED = "worked", "Worked well"
    MIXED = "mixed", "Mixed"
    REVERTED = "reverted", "Reverted"


RECORD_TEXT_MAX_LENGTH = 4000


class DecisionRecordQuerySet(models.QuerySet["DecisionRecord"]):
    def due(self, *, today: date) -> Self:
        """Records whose revisit date has come and that have no outcome yet."""
        return self.filter(revisit_on__lte=today, outcome="")

    def outcomes_per_tool(
        self, tool_ids: Iterable[int]
    ) -> models.QuerySet[Any, tuple[int, str, int]]:
        """(tool, outcome, posts): for each of these tools, the outcomes
        reported on the visible posts that chose it.

        Joined rather than ``decision__in=visible()``: PostgreSQL read every
        post for that subquery (17 ms at scale 0.1, growing with the site);
        the join starts from the tools' tags. A tool is tagged once a post.
        """
        return (
            self.exclude(outcome="")
            .filter(
                decision__is_hidden=False,
                decision__deleted_at__isnull=True,
                decision__tool_tags__tool__in=tool_ids,
                decision__tool_tags__role=ToolRole.CHOSEN,
            )
            .order_by()
            .values("decision__tool_tags__tool", "outcome")
            .annotate(posts=Count("pk"))
            .values_list("decision__tool_tags__tool", "outcome", "posts")
        )


class DecisionRecord(models.Model):
    """The architecture-decision-record parts of a decision, and how it
    turned out. Options considered are the decision's considered tools."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="record"
    )
    status = models.CharField(
        max_length=12, choices=RecordStatus, default=RecordStatus.ACCEPTED
    )
    context = models.TextField(
        max_length=RECORD_TEXT_MAX_LENGTH,
        blank=True,
        help_text="The forces at play: what made a decision necessary.",
    )
    consequences = models.TextField(
        max_length=RECORD_TEXT_MAX_LENGTH,
        blank=True,
        help_text="What becomes easier or harder because of it.",
    )
    superseded_by = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_records",
    )
    revisit_on = models.DateField(
        null=True,
        blank=True,
        help_text="When to look back; the author and the company's editors are reminded.",
    )
    outcome = models.CharField(max_length=10, choices=Outcome, blank=True)
    outcome_text = models.TextField(max_length=RECORD_TEXT_MAX_LENGTH, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DecisionRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values),
                name="decisionrecord_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[*Outcome.values, ""]),
                name="decisionrecord_outcome_valid",
            ),
            # A superseded record names its successor, and only then.
            models.CheckConstraint(
                condition=Q(status=RecordStatus.SUPERSEDED, superseded_by__isnull=False)
                | (~Q(status=RecordStatus.SUPERSEDED) & Q(superseded_by__isnull=True)),
                name="decisionrecord_superseded_names_successor",
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=F("decision")),
                name="decisionrecord_not_superseded_by_itself",
            ),
        ]
        indexes = [
            models.Index(
                fields=["revisit_on"],
                condition=Q(outcome=""),
                name="decisionrecord_due",
            ),
            # The feeds walk the newest outcomes until they have a page.
            models.Index(
                fields=["-outcome_at", "-id"],
                condition=~Q(outcome=""),
                name="decisionrecord_outcomes",
            ),
        ]

    def __str__(self) -> str:
        return f"Record of {self.decision_id} ({self.status})"

    @property
    def has_outcome(self) -> bool:
        return bool(self.outcome)


class ToolStanding(models.Model):
    """What the tool page's change section counts of a tool: the companies
    whose radar puts it on hold or in trial, and the outcomes reported by
    the teams whose posts chose it.

    A read model, recounted from the entries and records by
    ``changes.services.recount_standing`` in the transaction of every write
    that can move it (a ring set, an entry deleted, an outcome recorded, a
    post edited, hidden, restored or deleted, a merge). Counted live, a
    popular tool's two counts cost 20 to 30 ms of PostgreSQL at scale 1.
    A tool without a row counts zero.
    """

    tool = models.OneToOneField(
        Tool, on_delete=models.CASCADE, primary_key=True, related_name="standing"
    )
    on_hold = models.PositiveIntegerField(default=0)
    in_trial = models.PositiveIntegerField(default=0)
    worked = models.PositiveIntegerField(default=0)
    mixed = models.PositiveIntegerField(default=0)
    reverted = models.PositiveIntegerField(default=0)

    COUNTS = ("on_hold", "in_trial", "worked", "mixed", "reverted")

    def __str__(self) -> str:
        return f"Standing of {self.tool_id}"

    @property
    def outcome_total(self) -> int:
        return self.worked + self.mixed + self.reverted


@dataclass(frozen=True)
class RecordParts:
    """A decision's record, and the records it supersedes."""

    record: DecisionRecord | None
    supersedes: list[Decision]


def with_record_flags(
    decisions: models.QuerySet[Decision],
) -> models.QuerySet[Decision]:
    """Whether each post has a record (its own, or one naming it successor)
    and declares a move, as ``has_records`` and ``declares_moves``: a post
    page then reads neither when there is nothing to read (most posts have
    neither; two queries fewer)."""
    records = DecisionRecord.objects.filter(
        Q(decision=models.OuterRef("pk")) | Q(superseded_by=models.OuterRef("pk"))
    )
    moves = DecisionMove.objects.filter(decision=models.OuterRef("pk"))
    return decisions.annotate(
        has_records=models.Exists(records), declares_moves=models.Exists(moves)
    )


def declared_moves(decision: Decision) -> list[DecisionMove]:
    """The moves the post declares, with both tools (no query for a post
    read ``with_record_flags`` that declares none)."""
    if not getattr(decision, "declares_moves", True):
        return []
    return list(DecisionMove.objects.for_decision(decision))


def record_parts(decision: Decision) -> RecordParts:
    """The decision's own record and the ones naming it successor: one
    query, none for a post read ``with_record_flags`` that has none."""
    if not getattr(decision, "has_records", True):
        return RecordParts(record=None, supersedes=[])
    rows = list(
        DecisionRecord.objects.filter(
            Q(decision=decision) | Q(superseded_by=decision)
        ).select_related("decision", "superseded_by")
    )
    return RecordParts(
        record=next((r for r in rows if r.decision_id == decision.pk), None),
        supersedes=[
            r.decision
            for r in rows
            if r.superseded_by_id == decision.pk and r.decision.deleted_at is None
        ],
    )


class DraftState(models.TextChoices):
    PENDING = "pending", "To review"
    PUBLISHED = "published", "Published"
    DISMISSED = "dismissed", "Dismissed"


class DraftDecision(models.Model):
    """An ADR found in a repository, waiting to be published as a decision
    or dismissed: by the company's editors when the repository feeds a
    company stack, by the member when it feeds their own stack."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft_decisions",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft_decisions",
    )
    path = models.CharField(max_length=300)
    title = models.CharField(max_length=140)
    status = models.CharField(
        max_length=12, choices=RecordStatus, default=RecordStatus.ACCEPTED
    )
    context = models.TextField(max_length=RECORD_TEXT_MAX_LENGTH, blank=True)
    body = models.TextField(max_length=RECORD_TEXT_MAX_LENGTH, blank=True)
    consequences = models.TextField(max_length=RECORD_TEXT_MAX_LENGTH, blank=True)
    options = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=10, choices=DraftState, default=DraftState.PENDING
    )
    origin = models.CharField(max_length=120, blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "path"], name="draftdecision_once_per_path"
            ),
            models.UniqueConstraint(
                fields=["owner_user", "path"],
                condition=Q(owner_user__isnull=False),
                name="draftdecision_once_per_member_path",
            ),
            models.CheckConstraint(
                condition=Q(company__isnull=False, owner_user__isnull=True)
                | Q(company__isnull=True, owner_user__isnull=False),
                name="draftdecision_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(state__in=DraftState.values),
                name="draftdecision_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecordStatus.values),
                name="draftdecision_status_valid",
            ),
        ]

    def __str__(self) -> str:
        owner = (
            f"company {self.company_id}"
            if self.company_id
            else f"member {self.owner_user_id}"
        )
        return f"{owner}: {self.path}"
