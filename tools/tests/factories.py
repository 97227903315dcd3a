"""Factories for the catalog."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils.text import slugify

from tools.models import (
    Alias,
    Category,
    CategoryLevel,
    ProCon,
    ProConKind,
    Synonym,
    Tool,
    ToolStatus,
    normalize_statement,
)
from tools.search import index_tools
from tools.services import add_synonym

_sequence = itertools.count(1)


def make_category(
    *, name: str | None = None, parent: Category | None = None, **fields: Any
) -> Category:
    """A node; with no parent, a function under a fresh layer and category."""
    name = name or f"Category {next(_sequence)}"
    if "level" not in fields:
        if parent is None:
            layer = Category.objects.create(
                name=f"{name} layer",
                slug=slugify(f"{name} layer"),
                level=CategoryLevel.LAYER,
            )
            parent = Category.objects.create(
                name=f"{name} group",
                slug=slugify(f"{name} group"),
                level=CategoryLevel.CATEGORY,
                parent=layer,
            )
        fields["level"] = parent.level + 1
    fields.setdefault("slug", slugify(name))
    return Category.objects.create(name=name, parent=parent, **fields)


def make_tool(
    *, name: str | None = None, function: Category | None = None, **fields: Any
) -> Tool:
    """An approved tool (unless told otherwise) in a function of its own."""
    name = name or f"Tool {next(_sequence)}"
    fields.setdefault("status", ToolStatus.APPROVED)
    fields.setdefault("tagline", f"{name} does one thing well")
    tool = Tool.objects.create(
        name=name,
        slug=fields.pop("slug", slugify(name)),
        function=function or make_category(),
        **fields,
    )
    # Search finds tools by their keys, which the services keep.
    index_tools(tool_ids=[tool.pk])
    return tool


def make_alias(*, tool: Tool, package: str) -> Alias:
    ecosystem, _, name = package.partition(":")
    alias = Alias.objects.create(tool=tool, ecosystem=ecosystem, name=name)
    index_tools(tool_ids=[tool.pk])
    return alias


def make_synonym(*, tool: Tool, term: str) -> Synonym:
    return add_synonym(term=term, tool=tool)


def make_procon(
    *, tool: Tool, text: str | None = None, kind: str = ProConKind.PRO, **fields: Any
) -> ProCon:
    text = text or f"Point {next(_sequence)}"
    return ProCon.objects.create(
        tool=tool, kind=kind, text=text, normalized=normalize_statement(text), **fields
    )
