"""What the feed app keeps per member: reading preferences and feed tokens.

Feed items and notifications themselves are not stored; they are read from
the tables that hold the events (see the feeds.events package).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class DigestFrequency(models.TextChoices):
    NEVER = "never", "Never"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


DIGEST_INTERVALS = {
    DigestFrequency.DAILY: timedelta(days=1),
    DigestFrequency.WEEKLY: timedelta(days=7),
}


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class Reading(models.Model):
    """A member's feed settings: e-mail digests, what they have seen, their private feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading"
    )
    digest = models.CharField(
        "e-mail digest",
        max_length=10,
        choices=DigestFrequency,
        default=DigestFrequency.NEVER,
        help_text="A summary of your feed and notifications by e-mail.",
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    notifications_seen_at = models.DateTimeField(null=True, blank=True)
    # The secret in the address of the member's private Atom feed; a new
    # key revokes the old address.
    feed_key = models.CharField(max_length=40, unique=True, default=new_feed_key)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(digest__in=DigestFrequency.values),
                name="reading_digest_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Feed settings of {self.user}"

    def private_feed_url(self) -> str:
        return reverse("feeds:atom_private", kwargs={"key": self.feed_key})

    def digest_due(self, now: datetime) -> bool:
        """Whether a digest should go out now."""
        interval = DIGEST_INTERVALS.get(DigestFrequency(self.digest))
        if interval is None:
            return False
        return self.digest_sent_at is None or now - self.digest_sent_at >= interval

    @property
    def digest_since(self) -> datetime:
        """Where the next digest starts: the last one, or one interval back."""
        interval = DIGEST_INTERVALS.get(DigestFrequency(self.digest), timedelta(days=1))
        return self.digest_sent_at or timezone.now() - interval
