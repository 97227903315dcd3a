"""The names search finds a tool by: synonyms and normalised search keys."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Left, Length

from tools.models.tools import Tool


class Synonym(models.Model):
    """Another name people type for a tool: an abbreviation, a nickname, an
    old name (``k8s``, ``psql``, ``gh actions``). Kept in
    ``tools/data/synonyms.toml`` and editable in the back office."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text="As people type it, e.g. “k8s”; compared without case, spaces or dots.",
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="synonyms")

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.tool}"


class SearchKeyKind(models.IntegerChoices):
    """What a search key was made from, best match first."""

    NAME = 1, "Name"
    SYNONYM = 2, "Synonym"
    ALIAS = 3, "Package name"
    WORD = 4, "Word of the name"


class SearchKey(models.Model):
    """A normalised way to name a tool (``tools.keys.search_key``).

    Written only by ``tools.search.index_tools``; search compares the
    query's key with these, the same way on every database.
    """

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=200)
    kind = models.PositiveSmallIntegerField(choices=SearchKeyKind)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "key", "kind"], name="searchkey_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SearchKeyKind.values),
                name="searchkey_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["key"], name="searchkey_key"),
            # The typo pass's candidates: a first letter and a band of
            # lengths (tools.search._typo_candidates).
            models.Index(Left("key", 1), Length("key"), name="searchkey_typo_band"),
        ]

    def __str__(self) -> str:
        return self.key
