"""Factories for members."""

from __future__ import annotations

import itertools
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.moderators import MODERATORS_GROUP

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def make_member(
    *,
    username: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    verified: bool = True,
    moderator: bool = False,
    **fields: Any,
) -> User:
    """A member with a confirmed e-mail address who can log in."""
    username = username or f"member{next(_sequence)}"
    email = email or f"{username}@example.com"
    if moderator:
        fields.setdefault("is_staff", True)
    user = User.objects.create_user(
        username=username, email=email, password=password, **fields
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    if moderator:
        # A transactional test before this one may have flushed the group
        # the data migrations create.
        user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user
