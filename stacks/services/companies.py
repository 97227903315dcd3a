"""Writes to companies: create and edit, members and owners, tool count, follows and mutes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from accounts.models import User, member_version
from accounts.services import add_once, reader_changed, remove_rows
from stacks.models import (
    Company,
    CompanyFollow,
    CompanyMembership,
    CompanyMute,
    Role,
    Stack,
    StackItem,
    company_page_version,
    rank_of,
)
from stackshare.caching import FOUND, STRUCTURE, bump

COMPANY_FIELDS = {
    "website",
    "logo",
    "tagline",
    "description",
    "location",
    "size",
    "industry",
}


# What a company's page shows beyond its own row: its members, stacks,
# followers and posts. Names and logos also show on other pages.
SHOWN_ELSEWHERE = {"name", "logo"}


def company_changed(*, company_ids: Iterable[int]) -> None:
    """Once committed, these companies' cached pages are rendered afresh."""
    slugs = Company.objects.filter(pk__in=list(company_ids)).values_list(
        "slug", flat=True
    )
    bump(*(company_page_version(slug) for slug in slugs))


def unique_slug(model: type[Company] | type[Stack], text: str, *, fallback: str) -> str:
    """A free slug for a new row: the text slugified, numbered when taken."""
    base = slugify(text)[:90] or fallback
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_company(*, name: str, created_by: User, **fields: object) -> Company:
    """Create a company; its creator becomes its first owner."""
    unknown = set(fields) - COMPANY_FIELDS
    if unknown:
        raise TypeError(f"Unknown company fields: {', '.join(sorted(unknown))}")
    company = Company.objects.create(
        name=name.strip(),
        slug=unique_slug(Company, name, fallback="company"),
        created_by=created_by,
        **fields,
    )
    CompanyMembership.objects.create(
        company=company, user=created_by, role=Role.OWNER, role_rank=rank_of(Role.OWNER)
    )
    bump(FOUND)  # search finds it at once
    return company


@transaction.atomic
def update_company(*, company: Company, changed: Iterable[str]) -> Company:
    """Save the details a form set on ``company``; ``changed`` names them."""
    changed = set(changed)
    company.save()
    if changed & SHOWN_ELSEWHERE:
        # Tool pages and posts show the company's name and logo too.
        bump(STRUCTURE)
    company_changed(company_ids=[company.pk])
    return company


def _locked(company: Company) -> Company:
    """Lock the company row, so owner checks cannot race each other."""
    return Company.objects.select_for_update().get(pk=company.pk)


@transaction.atomic
def add_company_member(
    *, company: Company, user: User, role: Role = Role.MEMBER
) -> CompanyMembership:
    """Add a member to a company; refused if they already belong to it."""
    try:
        with transaction.atomic():
            membership = CompanyMembership.objects.create(
                company=company, user=user, role=role, role_rank=rank_of(role)
            )
    except IntegrityError as error:
        raise ValidationError(
            f"{user.name} already belongs to {company.name}."
        ) from error
    company_changed(company_ids=[company.pk])
    bump(member_version(user.pk))  # their profile lists it
    return membership


@transaction.atomic
def set_company_role(*, company: Company, user: User, role: Role) -> CompanyMembership:
    """Change a member's role; the last owner cannot step down."""
    _locked(company)
    membership = CompanyMembership.objects.select_for_update().get(
        company=company, user=user
    )
    if membership.role == Role.OWNER and role != Role.OWNER:
        _refuse_if_last_owner(company, user)
    membership.role = role
    membership.role_rank = rank_of(role)
    membership.save(update_fields=["role", "role_rank"])
    company_changed(company_ids=[company.pk])
    bump(member_version(user.pk))  # their profile lists it
    return membership


@transaction.atomic
def remove_company_member(*, company: Company, user: User) -> None:
    """Take a member out of a company; the last owner cannot be removed."""
    _locked(company)
    membership = CompanyMembership.objects.filter(company=company, user=user).first()
    if membership is None:
        return
    if membership.role == Role.OWNER:
        _refuse_if_last_owner(company, user)
    membership.delete()
    company_changed(company_ids=[company.pk])
    bump(member_version(user.pk))  # their profile lists it


@transaction.atomic
def save_membership(
    *, membership_id: int | None, company: Company, user: User, role: Role
) -> CompanyMembership:
    """Save one membership as the back office's form edits it, through the
    services above: a new one is added; one moved to another member or
    company is taken out and added again; a changed role goes through
    set_company_role. So the back office never leaves a company without an
    owner either."""
    if membership_id is None:
        return add_company_member(company=company, user=user, role=role)
    old = CompanyMembership.objects.select_related("company", "user").get(
        pk=membership_id
    )
    if (old.company_id, old.user_id) != (company.pk, user.pk):
        remove_company_member(company=old.company, user=old.user)
        return add_company_member(company=company, user=user, role=role)
    if old.role != role:
        return set_company_role(company=company, user=user, role=role)
    return old


@transaction.atomic
def hand_over_companies(*, leaving: User) -> list[CompanyMembership]:
    """Before a member is deleted (in the back office): each company they
    are the only owner of passes to its longest-standing member of the
    highest remaining role, so no company with members is left without
    an owner. Returns the memberships made owners; a company with no other
    member is left to the moderators."""
    promoted = []
    for mine in CompanyMembership.objects.owners().filter(user=leaving):
        if not is_last_owner(mine):
            continue
        successor = (
            CompanyMembership.objects.filter(company_id=mine.company_id)
            .exclude(user=leaving)
            .select_related("company", "user")
            .order_by("role_rank", "created_at", "pk")
            .first()
        )
        if successor is not None:
            promoted.append(
                set_company_role(
                    company=successor.company, user=successor.user, role=Role.OWNER
                )
            )
    return promoted


def is_last_owner(membership: CompanyMembership) -> bool:
    """Whether this is its company's only owner, who cannot leave."""
    return (
        membership.role == Role.OWNER
        and not CompanyMembership.objects.owners()
        .filter(company_id=membership.company_id)
        .exclude(pk=membership.pk)
        .exists()
    )


def _refuse_if_last_owner(company: Company, user: User) -> None:
    others = (
        CompanyMembership.objects.owners()
        .filter(company=company)
        .exclude(user=user)
        .exists()
    )
    if not others:
        raise last_owner_error(company)


def last_owner_error(company: Company) -> ValidationError:
    """Why a company's only owner can neither step down nor leave."""
    return ValidationError(
        f"{company.name} needs at least one owner. Make someone else an owner first."
    )


def refresh_company_tool_count(
    *, company_id: int | None = None, companies: Iterable[int] | None = None
) -> None:
    """Recount the distinct tools across companies' stacks (one UPDATE)."""
    distinct_tools = (
        StackItem.objects.filter(stack__company=OuterRef("pk"))
        .values("stack__company")
        .annotate(n=Count("tool", distinct=True))
        .values("n")
    )
    targets = (
        Company.objects.filter(pk=company_id)
        if company_id is not None
        else Company.objects.filter(pk__in=companies or [])
    )
    targets.update(tool_count=Coalesce(Subquery(distinct_tools), Value(0)))


@transaction.atomic
def follow_company(*, user: User, company: Company) -> None:
    """Follow a company; following twice is a no-op."""
    if not add_once(CompanyFollow, user=user, company=company):
        return
    Company.objects.filter(pk=company.pk).update(follower_count=F("follower_count") + 1)
    company_changed(company_ids=[company.pk])
    reader_changed(user=user)


@transaction.atomic
def unfollow_company(*, user: User, company: Company) -> None:
    """Stop following a company; a no-op when not following."""
    deleted = remove_rows(CompanyFollow, user=user, company=company)
    if deleted:
        Company.objects.filter(pk=company.pk).update(
            follower_count=F("follower_count") - deleted
        )
        company_changed(company_ids=[company.pk])
        reader_changed(user=user)


@transaction.atomic
def mute_company(*, user: User, company: Company) -> None:
    """Keep a company's news out of one's feed; muting twice is a no-op."""
    if add_once(CompanyMute, user=user, company=company):
        reader_changed(user=user)


@transaction.atomic
def unmute_company(*, user: User, company: Company) -> None:
    """Let a muted company's news back into one's feed; a no-op when not muted."""
    if remove_rows(CompanyMute, user=user, company=company):
        reader_changed(user=user)
