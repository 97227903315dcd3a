"""Curation: submitting, approving, rejecting, deprecating, editing and merging tools; hiding pros and cons."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import ModerationAction, User
from accounts.services import record_moderation
from stackshare.caching import STRUCTURE, bump
from tools.models import (
    Alias,
    Alternative,
    Category,
    ProCon,
    ProConVote,
    Synonym,
    Tool,
    ToolFollow,
    ToolMute,
    ToolRedirect,
    ToolStatus,
    ToolVote,
)
from tools.search import index_tools
from tools.signals import tool_merged


def unique_tool_slug(name: str) -> str:
    """A free slug for a new tool: its name, numbered if taken."""
    base = slugify(name)[:90] or "tool"
    slug, n = base, 2
    while (
        Tool.objects.filter(slug=slug).exists()
        or ToolRedirect.objects.filter(old_slug=slug).exists()
    ):
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def submit_tool(
    *,
    submitted_by: User,
    name: str,
    function: Category,
    website: str = "",
    repository_url: str = "",
    tagline: str = "",
    description: str = "",
) -> Tool:
    """A member proposes a missing tool; it waits for a moderator."""
    tool = Tool.objects.create(
        name=name.strip(),
        slug=unique_tool_slug(name),
        function=function,
        website=website,
        repository_url=repository_url,
        tagline=tagline,
        description=description,
        status=ToolStatus.PENDING,
        submitted_by=submitted_by,
    )
    # Indexed now, so that it is found as soon as a moderator approves it.
    index_tools(tool_ids=[tool.pk])
    return tool


@transaction.atomic
def approve_tool(*, tool: Tool, actor: User, reason: str = "") -> Tool:
    """Publish a submitted tool."""
    tool.status = ToolStatus.APPROVED
    tool.save(update_fields=["status", "updated_at"])
    bump(STRUCTURE)
    record_moderation(
        actor=actor, action=ModerationAction.APPROVE, target=tool, reason=reason
    )
    return tool


@transaction.atomic
def reject_tool(*, tool: Tool, actor: User, reason: str = "") -> Tool:
    """Turn down a submitted tool; it stays for the record, unseen by readers."""
    tool.status = ToolStatus.REJECTED
    tool.save(update_fields=["status", "updated_at"])
    bump(STRUCTURE)
    record_moderation(
        actor=actor, action=ModerationAction.REJECT, target=tool, reason=reason
    )
    return tool


@transaction.atomic
def deprecate_tool(
    *, tool: Tool, successor: Tool | None, actor: User, reason: str = ""
) -> Tool:
    """Mark a tool deprecated, pointing readers at what replaces it."""
    if successor is not None and successor.pk == tool.pk:
        raise ValidationError("A tool cannot succeed itself.")
    tool.is_deprecated = True
    tool.successor = successor
    tool.save(update_fields=["is_deprecated", "successor", "updated_at"])
    bump(STRUCTURE)
    record_moderation(
        actor=actor, action=ModerationAction.DEPRECATE, target=tool, reason=reason
    )
    return tool


@transaction.atomic
def save_tool_edit(*, tool: Tool, changed_fields: Collection[str], actor: User) -> Tool:
    """Save a moderator's edit of a tool from the back office, on the record.

    A change of status or a deprecation is recorded as what it means to
    readers (approved, rejected, deprecated), like the actions that do only
    that; any other change as an editorial edit.
    """
    tool.save()
    index_tools(tool_ids=[tool.pk])
    bump(STRUCTURE)
    edited = set(changed_fields)
    if "status" in edited and tool.status != ToolStatus.PENDING:
        action = (
            ModerationAction.APPROVE
            if tool.status == ToolStatus.APPROVED
            else ModerationAction.REJECT
        )
        record_moderation(actor=actor, action=action, target=tool)
        edited.discard("status")
    if "is_deprecated" in edited and tool.is_deprecated:
        record_moderation(actor=actor, action=ModerationAction.DEPRECATE, target=tool)
        edited -= {"is_deprecated", "successor"}
    if edited:
        record_moderation(actor=actor, action=ModerationAction.EDIT, target=tool)
    return tool


@transaction.atomic
def set_procon_hidden(
    *, procon: ProCon, hidden: bool, actor: User, reason: str = ""
) -> ProCon:
    """Hide a pro or con from readers, or bring it back; a no-op (and no log
    entry) when it already is that way."""
    if ProCon.objects.filter(pk=procon.pk, is_hidden=not hidden).update(
        is_hidden=hidden
    ):
        bump(tools=[procon.tool.slug])
        action = ModerationAction.HIDE if hidden else ModerationAction.RESTORE
        record_moderation(actor=actor, action=action, target=procon, reason=reason)
    procon.is_hidden = hidden
    return procon


def _move_member_rows(
    model: type[Model], *, source: Tool, target: Tool, field: str = "tool"
) -> None:
    """Move one-per-member rows to the target, dropping those it already has."""
    manager = model._default_manager
    already = manager.filter(**{field: target}).values("user")
    manager.filter(**{field: source}, user__in=already).delete()
    manager.filter(**{field: source}).update(**{field: target})


@transaction.atomic
def merge_tools(*, source: Tool, target: Tool, actor: User, reason: str = "") -> Tool:
    """Fold a duplicate tool into the one that survives.

    Aliases, tags, alternatives, followers, mutes, votes, pros and cons move to the
    target without counting anyone twice; the source's slug (and any slug
    that already redirected to it) then redirects to the target for good.
    """
    if source.pk == target.pk:
        raise ValidationError("A tool cannot be merged into itself.")
    Alias.objects.filter(tool=source).update(tool=target)
    Synonym.objects.filter(tool=source).update(tool=target)
    target.tags.add(*source.tags.exclude(pk=target.function_id))

    taken = set(
        Alternative.objects.filter(tool=target).values_list("alternative", flat=True)
    )
    for link in Alternative.objects.filter(tool=source).exclude(
        alternative__in=[*taken, target.pk]
    ):
        Alternative.objects.create(
            tool=target, alternative=link.alternative, position=link.position
        )
    pointing_here = set(
        Alternative.objects.filter(alternative=target).values_list("tool", flat=True)
    )
    Alternative.objects.filter(alternative=source).exclude(
        tool__in=[*pointing_here, target.pk]
    ).update(alternative=target)
    Tool.objects.filter(successor=source).exclude(pk=target.pk).update(successor=target)

    _move_member_rows(ToolFollow, source=source, target=target)
    _move_member_rows(ToolVote, source=source, target=target)
    _move_member_rows(ToolMute, source=source, target=target)
    for procon in ProCon.objects.filter(tool=source):
        twin = ProCon.objects.filter(tool=target, normalized=procon.normalized).first()
        if twin is None:
            ProCon.objects.filter(pk=procon.pk).update(tool=target)
            continue
        _move_member_rows(ProConVote, source=procon, target=twin, field="procon")  # type: ignore[arg-type]  # the helper is written for member rows; these rows have the same shape
        twin.vote_count = twin.votes.count()
        twin.save(update_fields=["vote_count"])

    ToolRedirect.objects.filter(tool=source).update(tool=target)
    tool_merged.send(sender=Tool, source=source, target=target)
    source_slug, source_name = source.slug, source.name
    record_moderation(
        actor=actor,
        action=ModerationAction.MERGE,
        target=source,
        reason=reason or f"Merged {source_name} into {target.name}",
    )
    source.delete()
    ToolRedirect.objects.create(old_slug=source_slug, tool=target)

    target.follower_count = target.follows.count()
    target.vote_count = target.votes.count()
    target.updated_at = timezone.now()
    target.save(update_fields=["follower_count", "vote_count", "updated_at"])
    # The source's package names and synonyms now find the target.
    index_tools(tool_ids=[target.pk])
    bump(STRUCTURE)
    return target
