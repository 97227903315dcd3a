"""A stack's life: create, edit and delete (a company with its stacks), and what it changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User, member_version
from stacks.models import Company, Stack, stack_page_version
from stacks.services.companies import (
    company_changed,
    refresh_company_tool_count,
    unique_slug,
)
from stackshare.caching import bump


@transaction.atomic
def create_stack(
    *,
    name: str,
    company: Company | None = None,
    owner_user: User | None = None,
    description: str = "",
    when: datetime | None = None,
) -> Stack:
    """Create an empty stack for a company or for a member (exactly one)."""
    if (company is None) == (owner_user is None):
        raise ValueError("A stack belongs to a company or to a member, not both.")
    owner_name = company.slug if company else owner_user.username  # type: ignore[union-attr]  # exactly one is set (checked above)
    when = when or timezone.now()
    stack = Stack.objects.create(
        name=name.strip(),
        slug=unique_slug(Stack, f"{owner_name} {name}", fallback="stack"),
        company=company,
        owner_user=owner_user,
        description=description,
        created_at=when,
        updated_at=when,
    )
    stack_changed(stack)
    return stack


@transaction.atomic
def update_stack(*, stack: Stack) -> Stack:
    """Save the name and description a form set on ``stack``."""
    stack.save()
    stack_changed(stack)
    return stack


def stack_changed(stack: Stack, *, actor_ids: Iterable[int] = ()) -> None:
    """Once committed, the pages and feeds showing the stack are rendered afresh:
    its company's page, and the feeds of those who follow its company, its
    owner or whoever changed it."""
    if stack.company_id:
        company_changed(company_ids=[stack.company_id])
    members = {*actor_ids, *([stack.owner_user_id] if stack.owner_user_id else [])}
    bump(stack_page_version(stack.slug), *(member_version(pk) for pk in members))


@transaction.atomic
def delete_stack(*, stack: Stack) -> None:
    """Delete a stack; its tools' counts go back with it (stacks.receivers)."""
    company_id = stack.company_id
    # Its history leaves the feeds of those who followed its changes.
    stack_changed(
        stack,
        actor_ids=stack.history.exclude(actor=None)
        .values_list("actor", flat=True)
        .distinct(),
    )
    stack.delete()
    if company_id:
        refresh_company_tool_count(company_id=company_id)


@transaction.atomic
def delete_company(*, company: Company) -> None:
    """Delete a company with its stacks, keeping tool counts exact."""
    for stack in list(company.stacks.all()):
        delete_stack(stack=stack)
    company_changed(company_ids=[company.pk])
    # Its members' profiles list it.
    bump(
        *(
            member_version(pk)
            for pk in company.memberships.values_list("user", flat=True)
        )
    )
    company.delete()
