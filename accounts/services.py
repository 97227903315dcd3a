"""Writes to members' accounts."""

from __future__ import annotations

import secrets
from functools import partial
from io import BytesIO
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from PIL import Image, ImageOps

from accounts.models import (
    MemberFollow,
    MemberMute,
    ModerationAction,
    ModerationEvent,
    User,
    account_version,
    member_version,
    reader_version,
)
from stackshare.caching import FOUND, STRUCTURE, bump

AVATAR_SIZE = 256
SUSPENDED_MESSAGE = (
    "Your account is suspended, so you cannot post, comment, vote or change "
    "anything on the site for now. You can still read, change your password "
    "and log out. Contact the moderators if you think this is a mistake."
)


class SuspendedError(PermissionDenied):
    """The member is suspended (or deactivated) and may not write."""

    def __init__(self) -> None:
        super().__init__(SUSPENDED_MESSAGE)


def check_can_write(*, user: User) -> None:
    """Refuse a member who may not write (``User.can_write``) with SuspendedError.

    The write gate (stackshare.writes) refuses them before any view runs;
    services call this too, so a write from elsewhere (a command, a task,
    a view the gate does not see) is refused all the same.
    """
    if not user.can_write:
        raise SuspendedError


def add_once(model: type[Model], **fields: object) -> bool:
    """Insert a one-per-member row (a follow, a mute, a vote); False when it
    already exists.

    Every follow, mute and vote service adds its row this way: the unique
    constraint decides, so two clicks at once still leave one row, and the
    savepoint keeps the caller's transaction usable after the refusal.
    """
    try:
        with transaction.atomic():
            model._default_manager.create(**fields)
    except IntegrityError:
        return False
    return True


def remove_rows(model: type[Model], **fields: object) -> int:
    """Delete the member's row(s) matching ``fields``; how many went (0 or 1)."""
    return model._default_manager.filter(**fields).delete()[1].get(model._meta.label, 0)


def resize_avatar(upload: UploadedFile[bytes]) -> ContentFile[bytes]:
    """Crop an uploaded image to a square and shrink it to the avatar size.

    Re-encoding also drops whatever else the file carried (EXIF location,
    trailing data), so only pixels reach the media folder.
    """
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened)
        image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
        square = ImageOps.fit(
            image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS
        )
        buffer = BytesIO()
        square.save(buffer, format="WEBP", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{secrets.token_hex(8)}.webp")


def delete_file(name: str) -> None:
    """Remove a stored file that nothing refers to any more."""
    if name and default_storage.exists(name):
        default_storage.delete(name)


@transaction.atomic
def update_profile(*, user: User, changes: dict[str, Any]) -> User:
    """Save a member's profile fields, resizing a new avatar.

    ``changes`` holds cleaned form data; an ``avatar`` of ``False`` clears
    the avatar. A replaced avatar file is deleted once the new one is saved.
    """
    old_avatar = user.avatar.name
    byline = user.byline_fields()
    avatar = changes.pop("avatar", None)
    for field, value in changes.items():
        setattr(user, field, value)
    if isinstance(avatar, UploadedFile):
        resized = resize_avatar(avatar)
        user.avatar.save(resized.name, resized, save=False)  # type: ignore[arg-type]  # resize_avatar always names the file
    elif avatar is False:
        user.avatar = None
    user.save()
    if old_avatar and old_avatar != user.avatar.name:
        transaction.on_commit(partial(delete_file, old_avatar))
    if user.byline_fields() != byline:
        # Posts, comments, pros and cons and company pages show the byline;
        # the pages cached for anonymous readers are rendered afresh.
        bump(STRUCTURE)
    bump(member_version(user.pk))  # their own profile
    return user


def record_moderation(
    *, actor: User | None, action: ModerationAction, target: Model, reason: str = ""
) -> ModerationEvent:
    """Write the audit row for a moderation action (called by the services that moderate)."""
    return ModerationEvent.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        reason=reason,
    )


@transaction.atomic
def suspend_member(*, member: User, actor: User, reason: str = "") -> User:
    """Stop a member from writing anything on the site; recorded for the audit trail."""
    if User.objects.filter(pk=member.pk, is_suspended=False).update(is_suspended=True):
        record_moderation(
            actor=actor, action=ModerationAction.SUSPEND, target=member, reason=reason
        )
        # Search finds only members in good standing; their next request
        # reads them afresh, suspended.
        bump(FOUND, account_version(member.pk))
    member.is_suspended = True
    return member


@transaction.atomic
def reinstate_member(*, member: User, actor: User, reason: str = "") -> User:
    """Lift a suspension; a no-op for a member who is not suspended."""
    if User.objects.filter(pk=member.pk, is_suspended=True).update(is_suspended=False):
        record_moderation(
            actor=actor, action=ModerationAction.REINSTATE, target=member, reason=reason
        )
        bump(FOUND, account_version(member.pk))
    member.is_suspended = False
    return member


def reader_changed(*, user: User) -> None:
    """Once committed, what the member follows and mutes is read afresh
    (their feed is kept under it; see feeds.events.Reader)."""
    bump(reader_version(user.pk))


@transaction.atomic
def follow_member(*, follower: User, followed: User) -> bool:
    """Follow a member; True if this is new. Following oneself is refused."""
    if follower.pk == followed.pk:
        raise ValidationError("You cannot follow yourself.")
    if not add_once(MemberFollow, follower=follower, followed=followed):
        return False
    User.objects.filter(pk=followed.pk).update(follower_count=F("follower_count") + 1)
    reader_changed(user=follower)
    # Their follower count, on their pages and their own account.
    bump(member_version(followed.pk), account_version(followed.pk))
    return True


@transaction.atomic
def unfollow_member(*, follower: User, followed: User) -> None:
    """Stop following a member; a no-op when not following."""
    deleted = remove_rows(MemberFollow, follower=follower, followed=followed)
    if deleted:
        User.objects.filter(pk=followed.pk).update(
            follower_count=F("follower_count") - deleted
        )
        reader_changed(user=follower)
        bump(member_version(followed.pk), account_version(followed.pk))


@transaction.atomic
def mute_member(*, user: User, muted: User) -> None:
    """Keep a member's posts out of one's feed; muting twice is a no-op."""
    if user.pk == muted.pk:
        raise ValidationError("You cannot mute yourself.")
    if add_once(MemberMute, user=user, muted=muted):
        reader_changed(user=user)


@transaction.atomic
def unmute_member(*, user: User, muted: User) -> None:
    """Let a muted member's posts back into one's feed; a no-op when not muted."""
    if remove_rows(MemberMute, user=user, muted=muted):
        reader_changed(user=user)
