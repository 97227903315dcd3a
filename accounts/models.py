"""Members of the site and their public profiles."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from stackshare.caching import version
from stackshare.paths import slug_path

AVATAR_COLOURS = 8


def member_version(pk: int) -> str:
    """The version of what a member does on the site (stackshare.caching):
    their posts and stack changes, as their followers' feeds show them."""
    return version("member", pk)


def account_version(pk: int) -> str:
    """The version of a member's own row (stackshare.caching): their account
    as read on each of their requests (accounts.backends)."""
    return version("account", pk)


def reader_version(pk: int) -> str:
    """The version of what a member follows and mutes (stackshare.caching)."""
    return version("reader", pk)


def avatar_upload_to(user: User, filename: str) -> str:
    """Store avatars under a per-member folder with a fresh name each time."""
    return f"avatars/{user.pk}/{filename}"


class User(AbstractUser):
    """A member. The user name is the public handle in `/users/<username>/`."""

    # What members say about themselves: edited on their own profile page
    # and, for members who are not staff, by moderators in the back office.
    PROFILE_FIELDS = (
        "display_name",
        "job_title",
        "company_name",
        "location",
        "bio",
        "website",
        "github_username",
        "avatar",
    )

    display_name = models.CharField(
        max_length=80, blank=True, help_text="How your name appears on the site."
    )
    job_title = models.CharField(
        max_length=80, blank=True, help_text="For example “Head of Platform”."
    )
    company_name = models.CharField(
        max_length=80, blank=True, help_text="Where you work, as you would say it."
    )
    location = models.CharField(max_length=80, blank=True)
    bio = models.TextField(
        max_length=500,
        blank=True,
        help_text="A few words about you, up to 500 characters.",
    )
    website = models.URLField(max_length=200, blank=True)
    github_username = models.CharField(
        "GitHub user name",
        max_length=39,
        blank=True,
        help_text="Only the name, not the address.",
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$",
                "A GitHub user name has letters, digits and single hyphens only.",
            )
        ],
    )
    avatar = models.ImageField(upload_to=avatar_upload_to, blank=True)
    # Set and cleared only by accounts.services.suspend_member and
    # reinstate_member, which record the moderation event. A suspended
    # member can still sign in and read, but cannot write (can_write).
    is_suspended = models.BooleanField(
        "suspended",
        default=False,
        editable=False,
        help_text="Suspended members can read but not post, comment or vote.",
    )
    # Kept exact by accounts.services.follow_member and unfollow_member.
    follower_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["username"]
        indexes = [
            # Performance: the tool page lists members using a popular tool
            # by walking members in name order (stacks.models.ToolUsers).
            models.Index(fields=["display_name", "username"], name="user_by_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("accounts:profile", self.username, kwarg="username")

    @property
    def can_write(self) -> bool:
        """Whether the member may change anything on the site.

        The one definition of it: the write gate (stackshare.writes) and
        the services' own checks (accounts.services.check_can_write) ask it.
        """
        return self.is_active and not self.is_suspended

    @property
    def name(self) -> str:
        """The name shown on the site: the display name, else the user name."""
        return self.display_name or self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        """One or two letters for the generated avatar."""
        words = [
            word
            for word in self.name.replace("-", " ").replace("_", " ").split()
            if word
        ]
        letters = (
            "".join(word[0] for word in words[:2]) if len(words) > 1 else self.name[:2]
        )
        return letters.upper()

    @property
    def avatar_colour(self) -> int:
        """A stable colour index for the generated avatar, from the user name."""
        digest = hashlib.blake2s(self.username.encode(), digest_size=2).digest()
        return int.from_bytes(digest) % AVATAR_COLOURS

    @property
    def headline(self) -> str:
        """The job line under a member's name: "VP of Engineering at Acme"."""
        if self.job_title and self.company_name:
            return f"{self.job_title} at {self.company_name}"
        return self.job_title or self.company_name

    def byline_fields(self) -> tuple[str, str, str | None]:
        """What other pages show of the member beside their posts and comments."""
        return (self.name, self.headline, self.avatar.name)

    @property
    def github_url(self) -> str:
        return (
            f"https://github.com/{self.github_username}" if self.github_username else ""
        )


class MemberFollow(models.Model):
    """A member follows another member's posts."""

    follower = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="member_follows"
    )
    followed = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "followed"], name="memberfollow_once"
            ),
            models.CheckConstraint(
                condition=~Q(follower=F("followed")), name="memberfollow_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["followed", "-created_at"], name="memberfollow_recent")
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followed}"


class MemberMute(models.Model):
    """A member asks to hear nothing of another member in their feed."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="member_mutes"
    )
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "muted"], name="membermute_once"),
            models.CheckConstraint(
                condition=~Q(user=F("muted")), name="membermute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.muted}"


class ModerationAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    MERGE = "merge", "Merged"
    DEPRECATE = "deprecate", "Marked deprecated"
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"
    SUSPEND = "suspend", "Suspended"
    REINSTATE = "reinstate", "Reinstated"
    EDIT = "edit", "Edited"
    DELETE = "delete", "Deleted"
    DISMISS = "dismiss", "Report dismissed"


class ModerationEvent(models.Model):
    """One moderation action: who did what to which object, when and why.

    Written by the services that moderate, whether called from the admin or
    the site, so both leave the same trail. The target is kept as a type,
    an id and its name at the time, so the record survives its deletion
    (a merged tool, for one).
    """

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="moderation_events"
    )
    action = models.CharField(max_length=20, choices=ModerationAction)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT
    )
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField("target", max_length=200)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ModerationAction.values),
                name="moderationevent_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.target_repr}"
