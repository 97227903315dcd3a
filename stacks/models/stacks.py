"""Stacks and their entries, with where each entry came from."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from stacks.models.companies import EDITING_ROLES, Company
from stackshare.caching import version
from stackshare.paths import slug_path
from tools.models import Tool

NOTE_MAX_LENGTH = 280
PREVIEW_TOOLS = 8


def stack_page_version(slug: str) -> str:
    """The version the stack's cached page is kept under (stackshare.caching)."""
    return version("stack", slug)


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
