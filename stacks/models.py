"""Companies, their members and the stacks that companies and members share.

A stack is owned by exactly one company or one member. Its entries say
where they came from (added by hand or detected in a manifest), and every
addition and removal leaves a history row, so a stack's past is as visible
as its present. Counters used for sorting (``Tool.stack_count``,
``Stack.item_count``, ``Company.tool_count``) are kept exact by
``stacks.services`` in the same transaction as the rows they count.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from stackshare.caching import version
from stackshare.paths import slug_path
from tools.models import Tool

MONOGRAM_COLOURS = 8
NOTE_MAX_LENGTH = 280
PREVIEW_TOOLS = 8


class Industry(models.TextChoices):
    SOFTWARE = "software", "Software & SaaS"
    FINTECH = "fintech", "Finance & fintech"
    ECOMMERCE = "ecommerce", "E-commerce & retail"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    MEDIA = "media", "Media & publishing"
    LOGISTICS = "logistics", "Logistics & mobility"
    TRAVEL = "travel", "Travel & hospitality"
    GAMING = "gaming", "Games & entertainment"
    ENERGY = "energy", "Energy & climate"
    PUBLIC = "public", "Public sector & non-profit"
    AGENCY = "agency", "Agency & consulting"
    OTHER = "other", "Other"


class CompanySize(models.TextChoices):
    TINY = "1-10", "1 to 10 people"
    SMALL = "11-50", "11 to 50 people"
    MEDIUM = "51-200", "51 to 200 people"
    LARGE = "201-1000", "201 to 1,000 people"
    HUGE = "1001-5000", "1,001 to 5,000 people"
    GIANT = "5000+", "More than 5,000 people"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    MEMBER = "member", "Member"


EDITING_ROLES = [Role.OWNER, Role.EDITOR]


class CompanyQuerySet(models.QuerySet["Company"]):
    def using_tool(self, tool: Tool) -> Self:
        """Companies with at least one stack that currently lists the tool."""
        return self.filter(
            pk__in=StackItem.objects.filter(
                tool=tool, stack__company__isnull=False
            ).values("stack__company")
        )

    def listing_tool(self, tool: Tool) -> Self:
        """Companies whose stacks list the tool, read the way that stays a few
        milliseconds at the tool's popularity, to be walked in display order.

        Performance: a tool in few stacks has its entries read
        (``using_tool``); a tool in many has each company checked for an
        entry as the walk goes (index ``company_most_followed``), and the
        more stacks list it, the sooner a walk that stops after a page ends.
        """
        if tool.stack_count <= WALK_USERS_ABOVE:
            return self.using_tool(tool)
        return self.filter(
            Exists(StackItem.objects.filter(tool=tool, stack__company=OuterRef("pk")))
        )

    def most_followed(self) -> Self:
        """Most followed first, then the biggest stacks."""
        return self.order_by("-follower_count", "-tool_count", "name")

    def with_members(self) -> Self:
        """Prefetch memberships with their members, owners first."""
        return self.prefetch_related(
            Prefetch(
                "memberships",
                queryset=CompanyMembership.objects.select_related("user").order_by(
                    "role_rank", "user__display_name", "user__username"
                ),
            )
        )


def company_page_version(slug: str) -> str:
    """The version the company's cached page is kept under (stackshare.caching)."""
    return version("company", slug)


def stack_page_version(slug: str) -> str:
    """The version the stack's cached page is kept under (stackshare.caching)."""
    return version("stack", slug)


class Company(models.Model):
    """An organisation whose engineers share the stacks it runs."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    website = models.URLField(max_length=300, blank=True)
    logo = models.ImageField(upload_to="company-logos/", blank=True)
    tagline = models.CharField(
        max_length=140, blank=True, help_text="One line on what the company does."
    )
    description = models.TextField(
        max_length=2000,
        blank=True,
        help_text="A short paragraph, up to 2,000 characters.",
    )
    location = models.CharField(max_length=80, blank=True)
    size = models.CharField(max_length=10, choices=CompanySize, blank=True)
    industry = models.CharField(max_length=12, choices=Industry, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept by stacks.services: distinct tools across the company's stacks,
    # and followers.
    tool_count = models.PositiveIntegerField(default=0, editable=False)
    follower_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=Q(size__in=[*CompanySize.values, ""]),
                name="company_size_valid",
            ),
            models.CheckConstraint(
                condition=Q(industry__in=[*Industry.values, ""]),
                name="company_industry_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["-follower_count"], name="company_most_followed"),
            models.Index(fields=["-tool_count"], name="company_largest"),
            models.Index(fields=["industry", "size"], name="company_industry_size"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("stacks:company_detail", self.slug)

    @property
    def monogram(self) -> str:
        words = re.sub(r"[^A-Za-z0-9 ]", " ", self.name).split()
        if len(words) > 1:
            return (words[0][0] + words[1][0]).upper()
        return self.name[:2].title() if self.name else "?"

    @property
    def monogram_colour(self) -> int:
        digest = hashlib.blake2s(self.slug.encode(), digest_size=2).digest()
        return int.from_bytes(digest) % MONOGRAM_COLOURS

    @property
    def website_host(self) -> str:
        return urlsplit(self.website).netloc.lower().removeprefix("www.")


class CompanyFollow(models.Model):
    """A member follows a company's stacks and its engineers' posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_follows",
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="companyfollow_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.company}"


class CompanyMute(models.Model):
    """A member asks to hear nothing of a company in their feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_mutes"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="companymute_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.company}"


class CompanyMembershipQuerySet(models.QuerySet["CompanyMembership"]):
    def owners(self) -> Self:
        return self.filter(role=Role.OWNER)

    def editing(self) -> Self:
        """Memberships whose role may edit the company's stacks."""
        return self.filter(role__in=EDITING_ROLES)


class CompanyMembership(models.Model):
    """A member belongs to a company, with a role."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_memberships",
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    # Owners, editors, members: sorts the member list without a CASE.
    role_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CompanyMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["company", "role_rank", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="membership_once"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.OWNER, role_rank=0)
                | Q(role=Role.EDITOR, role_rank=1)
                | Q(role=Role.MEMBER, role_rank=2),
                name="membership_rank_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.company} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def rank_of(role: str) -> int:
    """The sort rank stored beside a role."""
    return {Role.OWNER: 0, Role.EDITOR: 1, Role.MEMBER: 2}[Role(role)]


class StackQuerySet(models.QuerySet["Stack"]):
    def with_owner(self) -> Self:
        return self.select_related("company", "owner_user")

    def editable_by(self, user: object) -> Self:
        """Stacks this reader may change: their own, or their company's as owner or editor."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(owner_user=user)
            | Q(
                company__memberships__user=user,
                company__memberships__role__in=EDITING_ROLES,
            )
        ).distinct()

    def using_tool(self, tool: Tool) -> Self:
        return self.filter(pk__in=StackItem.objects.filter(tool=tool).values("stack"))

    def with_preview(self, *, size: int = PREVIEW_TOOLS) -> Self:
        """Prefetch a few tools of each stack, most used first, as ``preview``."""
        return self.prefetch_related(
            Prefetch(
                "items",
                queryset=StackItem.objects.select_related("tool").order_by(
                    "-tool__stack_count", "tool__name"
                )[:size],
                to_attr="preview",
            )
        )

    def recently_updated(self) -> Self:
        return self.order_by("-updated_at", "-pk")

    def largest(self) -> Self:
        return self.order_by("-item_count", "-updated_at", "-pk")


class Stack(models.Model):
    """The tools one team (or one member) runs for one product or platform."""

    name = models.CharField(max_length=80, help_text="For example “Main product”.")
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(
        max_length=1000,
        blank=True,
        help_text="What this stack powers, in a line or two.",
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stacks",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stacks",
        verbose_name="owner (member)",
    )
    item_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StackQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Exactly one owner: a company or a member.
            models.CheckConstraint(
                condition=Q(company__isnull=False, owner_user__isnull=True)
                | Q(company__isnull=True, owner_user__isnull=False),
                name="stack_has_one_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["-updated_at"], name="stack_recent"),
            models.Index(fields=["-item_count"], name="stack_largest"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} · {self.name}"

    def get_absolute_url(self) -> str:
        return slug_path("stacks:detail", self.slug)

    @property
    def owner_name(self) -> str:
        """The company's name or the member's; needs ``with_owner``."""
        if self.company_id:
            return self.company.name  # type: ignore[union-attr]  # company_id is set
        return self.owner_user.name if self.owner_user else ""

    @property
    def owner_url(self) -> str:
        if self.company_id:
            return self.company.get_absolute_url()  # type: ignore[union-attr]  # company_id is set
        return self.owner_user.get_absolute_url() if self.owner_user else ""


class Provenance(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    DETECTED = "detected", "Detected"


class StackItemQuerySet(models.QuerySet["StackItem"]):
    def with_tool_path(self) -> Self:
        """The tool and its function, category and layer, for grouping."""
        return self.select_related("tool__function__parent__parent", "added_by")

    def by_layer(self) -> Self:
        """Grouped the way the stack page shows them: layer, category, tool."""
        return self.order_by(
            "tool__function__parent__parent__position",
            "tool__function__parent__parent__name",
            "tool__function__parent__position",
            "tool__function__parent__name",
            "tool__name",
        )


class StackItem(models.Model):
    """One tool in one stack, with why the team uses it and where it came from."""

    stack = models.ForeignKey(Stack, on_delete=models.CASCADE, related_name="items")
    # Indexed by stackitem_by_tool_with_id, which starts with it.
    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="stack_items", db_index=False
    )
    note = models.CharField("why we use it", max_length=NOTE_MAX_LENGTH, blank=True)
    source = models.CharField(
        max_length=10, choices=Provenance, default=Provenance.MANUAL
    )
    detected_file = models.CharField(
        max_length=300, blank=True, help_text="The manifest the tool was found in."
    )
    detected_from = models.CharField(
        max_length=120,
        blank=True,
        help_text="The scan or upload it came from, e.g. “stackshare-scan 0.1”.",
    )
    detected_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)
    # Set when a pushed scan (stacks.scans) no longer finds a detected entry;
    # the entry stays until a person removes it, and a later scan that
    # finds it again clears the mark.
    not_seen_since = models.DateTimeField(null=True, blank=True, editable=False)

    objects = StackItemQuerySet.as_manager()

    class Meta:
        ordering = ["stack", "tool__name"]
        constraints = [
            models.UniqueConstraint(fields=["stack", "tool"], name="stackitem_once"),
            models.CheckConstraint(
                condition=Q(source__in=Provenance.values),
                name="stackitem_source_valid",
            ),
        ]
        indexes = [
            # With the key, a tool's entries are read from the index alone
            # (changes.models.tool_changes joins them to radar rings).
            models.Index(
                fields=["tool", "stack"],
                include=["id"],
                name="stackitem_by_tool_with_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tool} in {self.stack_id}"

    @property
    def is_detected(self) -> bool:
        return self.source == Provenance.DETECTED


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
        two queries). Each tool comes with its category path and ``together``,
        the number of stacks it shares with them.
        """
        if len(tools) == 1:
            pairings = (
                self.filter(tool=tools[0], other__status="approved")
                .select_related("other__function__parent__parent")
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
        found = Tool.objects.filter(pk__in=counts).with_category_path().in_bulk()
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


def employer_of(
    user: User, memberships: list[CompanyMembership] | None = None
) -> Company | None:
    """The company a member works for: the one named in their profile, else
    the first they belong to (one query unless ``memberships`` are given)."""
    if memberships is None:
        memberships = list(
            CompanyMembership.objects.filter(user=user)
            .select_related("company")
            .order_by("company__name")
        )
    named = user.company_name.strip().lower()
    return next(
        (m.company for m in memberships if m.company.name.lower() == named),
        memberships[0].company if memberships else None,
    )
