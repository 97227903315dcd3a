"""Companies, their followers, mutes and members with their roles."""

from __future__ import annotations

import hashlib
import re
from typing import Self
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.models import User
from stackshare.caching import version
from stackshare.paths import slug_path
from tools.models import Tool

MONOGRAM_COLOURS = 8


class Industry(models.TextChoices):
    SOFTWARE = "software", "Software & SaaS"
    FINTECH = "fintech", "Finance & fintech"
    ECOMMERCE = "ecommerce", "E-commerce & retail"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    MEDIA = "media", "Media & publishing"
    LOGISTICS = "logistics", "Logistics & mobility"
    TRAVEL = "travel", "Travel & hospitality"
    GAMING = "gaming", "Games & entertainment"
    ENERGY = "energy", "Energy & climate"
    PUBLIC = "public", "Public sector & non-profit"
    AGENCY = "agency", "Agency & consulting"
    OTHER = "other", "Other"


class CompanySize(models.TextChoices):
    TINY = "1-10", "1 to 10 people"
    SMALL = "11-50", "11 to 50 people"
    MEDIUM = "51-200", "51 to 200 people"
    LARGE = "201-1000", "201 to 1,000 people"
    HUGE = "1001-5000", "1,001 to 5,000 people"
    GIANT = "5000+", "More than 5,000 people"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    MEMBER = "member", "Member"


EDITING_ROLES = [Role.OWNER, Role.EDITOR]


class CompanyQuerySet(models.QuerySet["Company"]):
    def using_tool(self, tool: Tool) -> Self:
        """Companies with at least one stack that currently lists the tool."""
        # Imported when called: the stacks module imports this one.
        from stacks.models.stacks import StackItem

        return self.filter(
            pk__in=StackItem.objects.filter(
                tool=tool, stack__company__isnull=False
            ).values("stack__company")
        )

    def listing_tool(self, tool: Tool) -> Self:
        """Companies whose stacks list the tool, read the way that stays a few
        milliseconds at the tool's popularity, to be walked in display order.

        Performance: a tool in few stacks has its entries read
        (``using_tool``); a tool in many has each company checked for an
        entry as the walk goes (index ``company_most_followed``), and the
        more stacks list it, the sooner a walk that stops after a page ends.
        """
        from stacks.models.stacks import StackItem
        from stacks.models.tool_usage import WALK_USERS_ABOVE

        if tool.stack_count <= WALK_USERS_ABOVE:
            return self.using_tool(tool)
        return self.filter(
            Exists(StackItem.objects.filter(tool=tool, stack__company=OuterRef("pk")))
        )

    def most_followed(self) -> Self:
        """Most followed first, then the biggest stacks."""
        return self.order_by("-follower_count", "-tool_count", "name")

    def with_members(self) -> Self:
        """Prefetch memberships with their members, owners first."""
        return self.prefetch_related(
            Prefetch(
                "memberships",
                queryset=CompanyMembership.objects.select_related("user").order_by(
                    "role_rank", "user__display_name", "user__username"
                ),
            )
        )


def company_page_version(slug: str) -> str:
    """The version the company's cached page is kept under (stackshare.caching)."""
    return version("company", slug)


class Company(models.Model):
    """An organisation whose engineers share the stacks it runs."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    website = models.URLField(max_length=300, blank=True)
    logo = models.ImageField(upload_to="company-logos/", blank=True)
    tagline = models.CharField(
        max_length=140, blank=True, help_text="One line on what the company does."
    )
    description = models.TextField(
        max_length=2000,
        blank=True,
        help_text="A short paragraph, up to 2,000 characters.",
    )
    location = models.CharField(max_length=80, blank=True)
    size = models.CharField(max_length=10, choices=CompanySize, blank=True)
    industry = models.CharField(max_length=12, choices=Industry, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept by stacks.services: distinct tools across the company's stacks,
    # and followers.
    tool_count = models.PositiveIntegerField(default=0, editable=False)
    follower_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=Q(size__in=[*CompanySize.values, ""]),
                name="company_size_valid",
            ),
            models.CheckConstraint(
                condition=Q(industry__in=[*Industry.values, ""]),
                name="company_industry_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["-follower_count"], name="company_most_followed"),
            models.Index(fields=["-tool_count"], name="company_largest"),
            models.Index(fields=["industry", "size"], name="company_industry_size"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("stacks:company_detail", self.slug)

    @property
    def monogram(self) -> str:
        words = re.sub(r"[^A-Za-z0-9 ]", " ", self.name).split()
        if len(words) > 1:
            return (words[0][0] + words[1][0]).upper()
        return self.name[:2].title() if self.name else "?"

    @property
    def monogram_colour(self) -> int:
        digest = hashlib.blake2s(self.slug.encode(), digest_size=2).digest()
        return int.from_bytes(digest) % MONOGRAM_COLOURS

    @property
    def website_host(self) -> str:
        return urlsplit(self.website).netloc.lower().removeprefix("www.")


class CompanyFollow(models.Model):
    """A member follows a company's stacks and its engineers' posts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_follows",
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="companyfollow_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.company}"


class CompanyMute(models.Model):
    """A member asks to hear nothing of a company in their feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_mutes"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="companymute_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.company}"


class CompanyMembershipQuerySet(models.QuerySet["CompanyMembership"]):
    def owners(self) -> Self:
        return self.filter(role=Role.OWNER)

    def editing(self) -> Self:
        """Memberships whose role may edit the company's stacks."""
        return self.filter(role__in=EDITING_ROLES)


class CompanyMembership(models.Model):
    """A member belongs to a company, with a role."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="company_memberships",
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    # Owners, editors, members: sorts the member list without a CASE.
    role_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CompanyMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["company", "role_rank", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="membership_once"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.OWNER, role_rank=0)
                | Q(role=Role.EDITOR, role_rank=1)
                | Q(role=Role.MEMBER, role_rank=2),
                name="membership_rank_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.company} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def rank_of(role: str) -> int:
    """The sort rank stored beside a role."""
    return {Role.OWNER: 0, Role.EDITOR: 1, Role.MEMBER: 2}[Role(role)]


def employer_of(
    user: User, memberships: list[CompanyMembership] | None = None
) -> Company | None:
    """The company a member works for: the one named in their profile, else
    the first they belong to (one query unless ``memberships`` are given)."""
    if memberships is None:
        memberships = list(
            CompanyMembership.objects.filter(user=user)
            .select_related("company")
            .order_by("company__name")
        )
    named = user.company_name.strip().lower()
    return next(
        (m.company for m in memberships if m.company.name.lower() == named),
        memberships[0].company if memberships else None,
    )
