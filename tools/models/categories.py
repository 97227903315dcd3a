"""The catalog tree (Layer > Category > Function) and the members who follow its nodes."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from stackshare.paths import slug_path


class CategoryLevel(models.IntegerChoices):
    LAYER = 1, "Layer"
    CATEGORY = 2, "Category"
    FUNCTION = 3, "Function"


class CategoryQuerySet(models.QuerySet["Category"]):
    def layers(self) -> Self:
        """The four top-level layers, in their display order."""
        return self.filter(level=CategoryLevel.LAYER).order_by("position", "name")

    def functions(self) -> Self:
        """The leaves of the tree, where tools have their primary place."""
        return self.filter(level=CategoryLevel.FUNCTION)


class Category(models.Model):
    """A node of the Layer > Category > Function tree."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(choices=CategoryLevel)
    description = models.CharField(max_length=240, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Kept exact by the follow services, like Tool.follower_count.
    follower_count = models.PositiveIntegerField(default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=CategoryLevel.values), name="category_level_valid"
            ),
            # A layer has no parent; everything below a layer has one.
            models.CheckConstraint(
                condition=Q(level=CategoryLevel.LAYER, parent__isnull=True)
                | Q(level__gt=CategoryLevel.LAYER, parent__isnull=False),
                name="category_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("tools:category", self.slug)

    @property
    def is_function(self) -> bool:
        return self.level == CategoryLevel.FUNCTION

    def ancestors(self) -> list[Category]:
        """Layer first, down to this node's parent; needs parent__parent selected."""
        chain: list[Category] = []
        node = self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def path(self) -> str:
        """ "Application & Data > Languages & Frameworks > Microframeworks"."""
        return " > ".join(node.name for node in [*self.ancestors(), self])


class CategoryFollow(models.Model):
    """A member follows a node of the catalog tree, and so every tool below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="category_follows",
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="categoryfollow_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.category}"
