"""What members do to tools and categories: follow, mute, upvote, and add or vote for pros and cons."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import User
from accounts.services import add_once, check_can_write, reader_changed, remove_rows
from stackshare.caching import LISTS, bump, category_version
from tools.models import (
    Category,
    CategoryFollow,
    ProCon,
    ProConKind,
    ProConVote,
    Tool,
    ToolFollow,
    ToolMute,
    ToolVote,
    normalize_statement,
)


@transaction.atomic
def follow_tool(*, user: User, tool: Tool) -> None:
    """Follow a tool; following twice is a no-op."""
    if add_once(ToolFollow, user=user, tool=tool):
        Tool.objects.filter(pk=tool.pk).update(follower_count=F("follower_count") + 1)
        bump(counts=[tool.slug], lists=True)
        reader_changed(user=user)


@transaction.atomic
def unfollow_tool(*, user: User, tool: Tool) -> None:
    """Stop following a tool; a no-op when not following."""
    deleted = remove_rows(ToolFollow, user=user, tool=tool)
    if deleted:
        Tool.objects.filter(pk=tool.pk).update(
            follower_count=F("follower_count") - deleted
        )
        bump(counts=[tool.slug], lists=True)
        reader_changed(user=user)


@transaction.atomic
def follow_category(*, user: User, category: Category) -> None:
    """Follow a catalog node; following twice is a no-op."""
    if add_once(CategoryFollow, user=user, category=category):
        Category.objects.filter(pk=category.pk).update(
            follower_count=F("follower_count") + 1
        )
        # Its count shows on its own cached page only.
        bump(category_version(category.slug))
        reader_changed(user=user)


@transaction.atomic
def unfollow_category(*, user: User, category: Category) -> None:
    """Stop following a catalog node; a no-op when not following."""
    deleted = remove_rows(CategoryFollow, user=user, category=category)
    if deleted:
        Category.objects.filter(pk=category.pk).update(
            follower_count=F("follower_count") - deleted
        )
        bump(category_version(category.slug))
        reader_changed(user=user)


@transaction.atomic
def mute_tool(*, user: User, tool: Tool) -> None:
    """Hear nothing more about a tool; muting twice is a no-op."""
    if add_once(ToolMute, user=user, tool=tool):
        # The member's cached state on the tool page (stackshare.caching) is kept
        # under the tool's version.
        bump(counts=[tool.slug])
        reader_changed(user=user)


@transaction.atomic
def unmute_tool(*, user: User, tool: Tool) -> None:
    """Hear about a muted tool again; a no-op when not muted."""
    if remove_rows(ToolMute, user=user, tool=tool):
        bump(counts=[tool.slug])
        reader_changed(user=user)


@transaction.atomic
def vote_for_tool(*, user: User, tool: Tool) -> None:
    """Upvote a tool once."""
    check_can_write(user=user)
    if add_once(ToolVote, user=user, tool=tool):
        Tool.objects.filter(pk=tool.pk).update(vote_count=F("vote_count") + 1)
        # Votes show on the tool's pages and sort the catalog; no category
        # page shows them.
        bump(LISTS, counts=[tool.slug])


@transaction.atomic
def withdraw_tool_vote(*, user: User, tool: Tool) -> None:
    """Take back an upvote; a no-op when there is none."""
    deleted = remove_rows(ToolVote, user=user, tool=tool)
    if deleted:
        Tool.objects.filter(pk=tool.pk).update(vote_count=F("vote_count") - deleted)
        bump(LISTS, counts=[tool.slug])


@transaction.atomic
def add_procon(*, tool: Tool, kind: ProConKind, text: str, author: User) -> ProCon:
    """Add a pro or con; the same statement twice on one tool is refused."""
    text = " ".join(text.split())
    normalized = normalize_statement(text)
    if ProCon.objects.filter(tool=tool, normalized=normalized).exists():
        raise ValidationError(
            "That point is already listed for this tool; vote for it instead."
        )
    try:
        with transaction.atomic():
            procon = ProCon.objects.create(
                tool=tool, kind=kind, text=text, normalized=normalized, author=author
            )
    except IntegrityError as error:
        raise ValidationError(
            "That point was just added by someone else; vote for it instead."
        ) from error
    bump(tools=[tool.slug])
    return procon


@transaction.atomic
def vote_for_procon(*, user: User, procon: ProCon) -> None:
    """Vote for a pro or con once. Its author cannot vote for it."""
    check_can_write(user=user)
    if procon.author_id == user.pk:
        raise ValidationError("You cannot vote for a point you added yourself.")
    if add_once(ProConVote, user=user, procon=procon):
        ProCon.objects.filter(pk=procon.pk).update(vote_count=F("vote_count") + 1)
        bump(tools=[procon.tool.slug])


@transaction.atomic
def withdraw_procon_vote(*, user: User, procon: ProCon) -> None:
    """Take back a vote on a pro or con."""
    deleted = remove_rows(ProConVote, user=user, procon=procon)
    if deleted:
        ProCon.objects.filter(pk=procon.pk).update(vote_count=F("vote_count") - deleted)
        bump(tools=[procon.tool.slug])
