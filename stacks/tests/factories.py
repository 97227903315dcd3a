"""Factories for companies and stacks; they go through the services."""

from __future__ import annotations

import itertools
from typing import Any

from accounts.models import User
from accounts.tests.factories import make_member
from stacks import services
from stacks.models import Company, Role, Stack, StackItem
from tools.models import Tool

_sequence = itertools.count(1)


def make_company(
    *, name: str | None = None, owner: User | None = None, **fields: Any
) -> Company:
    """A company with an owner (a fresh member unless given)."""
    name = name or f"Company {next(_sequence)}"
    return services.create_company(
        name=name, created_by=owner or make_member(), **fields
    )


def make_membership(*, company: Company, user: User, role: Role = Role.MEMBER):
    return services.add_company_member(company=company, user=user, role=role)


def make_stack(
    *,
    name: str | None = None,
    company: Company | None = None,
    owner_user: User | None = None,
    tools: list[Tool] = (),  # type: ignore[assignment]  # an empty, never-mutated default
    **fields: Any,
) -> Stack:
    """A stack of a company (a fresh one unless a member owns it), with tools."""
    name = name or f"Stack {next(_sequence)}"
    if company is None and owner_user is None:
        company = make_company()
    stack = services.create_stack(
        name=name, company=company, owner_user=owner_user, **fields
    )
    for tool in tools:
        services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
    return stack


def make_item(*, stack: Stack, tool: Tool, **fields: Any) -> StackItem:
    item, _ = services.add_tool_to_stack(
        stack=stack, tool=tool, added_by=None, **fields
    )
    return item
