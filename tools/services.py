"""Writes to the catalog: follows, votes, pros and cons, submissions, moderation.

Counters on Tool and ProCon move in the same transaction as the row that
justifies them, and only when that row was really created or deleted, so
two clicks at once never count twice (the unique constraints refuse the
second row).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import ModerationAction, User
from accounts.services import (
    add_once,
    check_can_write,
    reader_changed,
    record_moderation,
    remove_rows,
)
from stackshare.caching import LISTS, STRUCTURE, bump, category_version
from stackshare.hostile import is_storable
from tools.keys import search_key
from tools.models import (
    Alias,
    Alternative,
    Category,
    CategoryFollow,
    Ecosystem,
    ProCon,
    ProConKind,
    ProConVote,
    SearchKey,
    SearchKeyKind,
    Synonym,
    Tool,
    ToolFollow,
    ToolMute,
    ToolRedirect,
    ToolStatus,
    ToolVote,
    UnknownPackage,
    UnknownPackageSighting,
    normalize_package_name,
    normalize_statement,
)
from tools.search import index_tools
from tools.signals import tool_merged

if TYPE_CHECKING:
    from stacks.models import Stack


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


# --- Demand: packages nothing in the catalog names ----------------------------

MAX_UNKNOWN_PER_SCAN = 2000


def record_unknown_packages(
    packages: Iterable[tuple[str, str]], *, stack: Stack | None = None
) -> int:
    """Count one scan of these (ecosystem, name) packages that matched no tool.

    Each package's scan count goes up by one; its stack count only the first
    time this stack shows it, so scanning a stack again keeps the count of
    stacks exact. A fixed number of queries however many packages.
    Returns how many distinct packages were counted.
    """
    wanted: dict[tuple[str, str], str] = {}
    for ecosystem, name in packages:
        if ecosystem not in Ecosystem.values or not is_storable(name):
            continue
        key = (ecosystem, normalize_package_name(ecosystem, name)[:200])
        wanted.setdefault(key, name.strip()[:200])
        if len(wanted) >= MAX_UNKNOWN_PER_SCAN:
            break
    if not wanted:
        return 0
    now = timezone.now()
    with transaction.atomic():
        UnknownPackage.objects.bulk_create(
            [
                UnknownPackage(
                    ecosystem=ecosystem,
                    name=name,
                    display_name=display,
                    first_seen=now,
                    last_seen=now,
                )
                for (ecosystem, name), display in wanted.items()
            ],
            ignore_conflicts=True,
        )
        condition = Q()
        for ecosystem in {ecosystem for ecosystem, _ in wanted}:
            condition |= Q(
                ecosystem=ecosystem,
                name__in=[n for e, n in wanted if e == ecosystem],
            )
        ids = list(
            UnknownPackage.objects.filter(condition).values_list("pk", flat=True)
        )
        UnknownPackage.objects.filter(pk__in=ids).update(
            scan_count=F("scan_count") + 1, last_seen=now
        )
        if stack is not None:
            seen = set(
                UnknownPackageSighting.objects.filter(
                    stack=stack, package__in=ids
                ).values_list("package", flat=True)
            )
            UnknownPackageSighting.objects.filter(stack=stack, package__in=seen).update(
                scan_count=F("scan_count") + 1, last_seen=now
            )
            new = [pk for pk in ids if pk not in seen]
            UnknownPackageSighting.objects.bulk_create(
                [
                    UnknownPackageSighting(package_id=pk, stack=stack, last_seen=now)
                    for pk in new
                ],
                ignore_conflicts=True,
            )
            UnknownPackage.objects.filter(pk__in=new).update(
                stack_count=F("stack_count") + 1
            )
    return len(ids)


@transaction.atomic
def alias_unknown_packages(
    *, packages: Iterable[UnknownPackage], tool: Tool, actor: User
) -> list[Alias]:
    """Make these unknown packages aliases of an existing tool.

    A package some other tool already has as an alias is left alone (and
    left unresolved, so a moderator sees it again).
    """
    added = []
    for package in packages:
        alias, created = Alias.objects.get_or_create(
            ecosystem=package.ecosystem,
            name=package.name,
            defaults={"tool": tool},
        )
        if alias.tool_id != tool.pk:
            continue
        if created:
            added.append(alias)
        package.resolved_tool = tool
        package.save(update_fields=["resolved_tool"])
    if added:
        record_moderation(
            actor=actor,
            action=ModerationAction.EDIT,
            target=tool,
            reason="aliases added from unknown packages: "
            + ", ".join(str(alias) for alias in added)[:400],
        )
    return added


@transaction.atomic
def create_tool_from_unknown_package(
    *,
    package: UnknownPackage,
    name: str,
    function: Category,
    website: str,
    actor: User,
) -> Tool:
    """A tool pre-filled from an unknown package: pending until it is described
    and approved, with the package as its first alias."""
    tool = submit_tool(
        submitted_by=actor,
        name=name,
        function=function,
        website=website,
        repository_url=package.registry_url
        if package.ecosystem == Ecosystem.ACTIONS
        else "",
    )
    alias_unknown_packages(packages=[package], tool=tool, actor=actor)
    return tool
