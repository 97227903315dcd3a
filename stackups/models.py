"""Stackups: side-by-side comparisons of two to four tools.

A stackup row exists once someone has opened the comparison; it carries the
view count and the moderators' editorial text. The tools are kept in
alphabetical order of slug, the same order as the canonical address.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse

from tools.models import Tool

MIN_TOOLS = 2
MAX_TOOLS = 4
SEPARATOR = "-vs-"
# Four slugs of at most 100 characters and three separators.
MAX_SLUG_LENGTH = MAX_TOOLS * 100 + (MAX_TOOLS - 1) * len(SEPARATOR)


def stackup_slug(slugs: list[str]) -> str:
    """The canonical address part: slugs in alphabetical order, joined by "-vs-"."""
    return SEPARATOR.join(sorted(slugs))


class StackupQuerySet(models.QuerySet["Stackup"]):
    def most_viewed(self) -> Self:
        return self.order_by("-view_count", "slug")

    def with_tools(self) -> Self:
        """Prefetch the tools in address order, for titles and logos."""
        return self.prefetch_related(
            Prefetch("tools", queryset=Tool.objects.order_by("slug"))
        )

    def including(self, tools: list[Tool]) -> Self:
        return self.filter(tools__in=tools).distinct()


class Stackup(models.Model):
    slug = models.SlugField(max_length=MAX_SLUG_LENGTH, unique=True)
    tools = models.ManyToManyField(Tool, through="StackupTool", related_name="stackups")
    # Moves by one UPDATE per visitor per day, and a new row starts with the
    # views held for its address (see services.count_stackup_view).
    view_count = models.PositiveBigIntegerField(default=0)
    differences = models.TextField(
        "what are the differences?",
        blank=True,
        help_text="Optional editorial text shown on the Overview tab. Markdown.",
    )
    differences_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    differences_edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StackupQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        indexes = [models.Index(fields=["-view_count"], name="stackup_most_viewed")]

    def __str__(self) -> str:
        return self.slug.replace(SEPARATOR, " vs ")

    def get_absolute_url(self) -> str:
        return reverse("stackups:detail", kwargs={"slugs": self.slug})

    @property
    def title(self) -> str:
        """ "Flask vs Rust"; needs the tools prefetched (``with_tools``)."""
        return " vs ".join(tool.name for tool in self.tools.all())


class StackupTool(models.Model):
    stackup = models.ForeignKey(
        Stackup, on_delete=models.CASCADE, related_name="entries"
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stackup", "tool"], name="stackup_tool_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stackup} · {self.tool}"
