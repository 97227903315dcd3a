"""Factories for members."""

from __future__ import annotations

import io
import itertools
import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

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


def enrol_totp(user: User) -> str:
    """Give the member an authenticator app and recovery codes; return its secret.

    Made with allauth's own classes, as its activation page does; a member
    who already has one keeps it.
    """
    existing = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).first()
    if existing:
        return str(decrypt(existing.data["secret"]))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return str(secret)


def totp_code(secret: str) -> str:
    """The code an authenticator app with this secret shows right now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


def unused_recovery_code(user: User) -> str:
    """One of the member's recovery codes that has not been used yet."""
    authenticator = Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    )
    return str(authenticator.wrap().get_unused_codes()[0])


def sign_in_with_mfa(client: Client, user: User, *, password: str = PASSWORD) -> Client:
    """Log the client in as `user` with password and authenticator code.

    Enrols an authenticator app first if the member has none, then goes
    through allauth's real login: the password form, then the code form. The
    session therefore counts as signed in with a second factor, which the
    back office requires of staff and moderators. allauth accepts each code
    once, so a second sign-in within the same 30 seconds uses a recovery
    code instead.
    """
    secret = enrol_totp(user)
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": password}
    )
    assert response.status_code == 302, "the password was refused"
    assert response["Location"] == reverse("mfa_authenticate"), response["Location"]
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    if response.status_code != 302:
        response = client.post(
            reverse("mfa_authenticate"), {"code": unused_recovery_code(user)}
        )
    assert response.status_code == 302, "the second factor was refused"
    return client


def image_upload(name="me.png", fmt="PNG", size=(640, 480)) -> SimpleUploadedFile:
    """An uploaded picture (an avatar, a logo) in the given format."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )
