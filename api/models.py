"""Access tokens: how scripts and CI read and write through the API."""

from __future__ import annotations

import hashlib
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TOKEN_PREFIX = "ssk_"  # noqa: S105 - a label, not a secret


class Scope(models.TextChoices):
    READ = "read", "Read"
    STACKS_WRITE = "stacks:write", "Change stacks"
    DECISIONS_WRITE = "decisions:write", "Post decisions and comments"


def hash_token(secret: str) -> str:
    """Tokens are stored only as their SHA-256: a leaked table grants nothing.

    The secrets are 256 random bits, so a slow password hash would add
    nothing but time to every request.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def live(self) -> Self:
        """Neither revoked nor expired, now."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class AccessToken(models.Model):
    """A member's personal token, or a company's token for CI (``company`` set).

    A company token acts for the owner who created it, and may change only
    that company's stacks.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    company = models.ForeignKey(
        "stacks.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_tokens",
    )
    name = models.CharField(max_length=80, help_text="What uses it, e.g. “CI deploy”.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so a member can tell their tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes
