"""What readers searched for and did not find."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tools.models import MAX_QUERY_LENGTH


class ZeroResultQuery(models.Model):
    """A query that found nothing, counted so moderators see what is missing.

    Queries are compared without case, accents or extra spaces. Anonymous
    search pages are cached, so a query repeated by anonymous readers
    counts at most once per cache lifetime: the count is of sightings, and
    a crawler repeating a query cannot inflate it.
    """

    query = models.CharField(max_length=MAX_QUERY_LENGTH, unique=True)
    count = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        indexes = [models.Index(fields=["-count"], name="zeroresult_most_wanted")]

    def __str__(self) -> str:
        return self.query
