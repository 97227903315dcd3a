"""Writes on access tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api.models import TOKEN_PREFIX, AccessToken, Scope, hash_token
from stacks.models import Company, CompanyMembership

# How often "last used" is written: once per token per minute is plenty,
# and keeps a busy CI job from writing a row per request.
LAST_USED_PRECISION_SECONDS = 60


@transaction.atomic
def create_token(
    *,
    user: User,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
    company: Company | None = None,
) -> tuple[AccessToken, str]:
    """Create a token; returns it and its secret, which is never shown again."""
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(Scope.values):
        raise ValidationError("Choose at least one of the listed scopes.")
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError("Give the token a name, so you know what uses it.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError("The expiry date must be in the future.")
    if company is not None:
        if (
            not CompanyMembership.objects.owners()
            .filter(company=company, user=user)
            .exists()
        ):
            raise PermissionDenied("Only the company's owners create its tokens.")
        if Scope.DECISIONS_WRITE in scopes:
            raise ValidationError("A company token can read and change stacks only.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        company=company,
        name=name,
        token_hash=hash_token(secret),
        hint=secret[:10],
        scopes=scopes,
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token: AccessToken) -> None:
    """Revoke at once: every server checks the database on each request."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def note_token_used(*, token: AccessToken) -> None:
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_PRECISION_SECONDS:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
