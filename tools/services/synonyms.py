"""Synonyms: the other names search finds a tool by, checked, added, edited and removed."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import ModerationAction, User
from accounts.services import record_moderation
from stackshare.caching import STRUCTURE, bump
from tools.keys import search_key
from tools.models import SearchKey, SearchKeyKind, Synonym, Tool
from tools.search import index_tools


def check_synonym(*, term: str, tool: Tool, synonym: Synonym | None = None) -> str:
    """The term, cleaned, if it may become a synonym of the tool.

    Refused: a term with nothing search can compare, another tool's name or
    slug, or another tool's synonym (compared as search compares them).
    """
    term = " ".join(term.split())
    key = search_key(term)
    if not key:
        raise ValidationError("Give a term with letters or digits.")
    taken = (
        SearchKey.objects.filter(
            key=key, kind__in=[SearchKeyKind.NAME, SearchKeyKind.SYNONYM]
        )
        .exclude(tool=tool)
        .select_related("tool")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            f"“{term}” already finds {taken.tool.name}; a term finds one tool."
        )
    same = Synonym.objects.filter(term__iexact=term)
    if synonym is not None and synonym.pk:
        same = same.exclude(pk=synonym.pk)
    if same.exists():
        raise ValidationError(f"“{term}” is already a synonym.")
    return term


@transaction.atomic
def add_synonym(*, term: str, tool: Tool) -> Synonym:
    """Let search find the tool by another name (see ``check_synonym``)."""
    synonym = Synonym.objects.create(
        term=check_synonym(term=term, tool=tool), tool=tool
    )
    index_tools(tool_ids=[tool.pk])
    bump(STRUCTURE)
    return synonym


@transaction.atomic
def save_synonym(*, synonym: Synonym, actor: User) -> Synonym:
    """Save a moderator's new or edited synonym, on the record.

    The tool it belonged to before loses the term in the same transaction.
    """
    synonym.term = check_synonym(term=synonym.term, tool=synonym.tool, synonym=synonym)
    previous = (
        Synonym.objects.filter(pk=synonym.pk).values_list("tool", flat=True).first()
        if synonym.pk
        else None
    )
    synonym.save()
    index_tools(tool_ids=[synonym.tool_id, *filter(None, [previous])])
    bump(STRUCTURE)
    record_moderation(actor=actor, action=ModerationAction.EDIT, target=synonym.tool)
    return synonym


@transaction.atomic
def delete_synonyms(*, synonyms: Collection[Synonym], actor: User) -> None:
    """Take synonyms away; search no longer finds their tools by them."""
    tools = {synonym.tool_id: synonym.tool for synonym in synonyms}
    Synonym.objects.filter(pk__in=[synonym.pk for synonym in synonyms]).delete()
    index_tools(tool_ids=tools)
    bump(STRUCTURE)
    for tool in tools.values():
        record_moderation(actor=actor, action=ModerationAction.EDIT, target=tool)
