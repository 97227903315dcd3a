"""Writes to companies and stacks.

Every change to a stack's tools goes through ``add_tool_to_stack`` or
``remove_tool_from_stack`` (``import_into_stack`` adds many at once): they
write the history row and move the counters (``Tool.stack_count``, ``Stack.item_count``, ``Company.tool_count``)
in the same transaction, and only when a row was really created or deleted.
The unique constraint on (stack, tool) turns a concurrent second add into a
no-op, so counts stay exact however many clicks arrive at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

import scanner
from accounts.models import User, member_version
from accounts.services import add_once, reader_changed, remove_rows
from stacks.detection import Detected, match_packages
from stacks.models import (
    RING_REASON_MAX_LENGTH,
    Company,
    CompanyFollow,
    CompanyMembership,
    CompanyMute,
    HistoryAction,
    Provenance,
    Ring,
    Role,
    Stack,
    StackHistory,
    StackItem,
    StackScan,
    ToolPairing,
    company_page_version,
    rank_of,
    stack_page_version,
)
from stacks.signals import stack_history_many_recorded, stack_history_recorded
from stackshare.caching import STRUCTURE, bump
from tools.models import Tool
from tools.services import record_unknown_packages

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


@dataclass(frozen=True)
class Detection:
    """Where a detected tool was found: the file, and the scan or upload."""

    file: str
    origin: str


@transaction.atomic
def add_tool_to_stack(
    *,
    stack: Stack,
    tool: Tool,
    added_by: User | None,
    note: str = "",
    detection: Detection | None = None,
    when: datetime | None = None,
) -> tuple[StackItem, bool]:
    """Add a tool to a stack; adding it twice is a no-op.

    Returns the entry and whether it was created. ``detection`` marks the
    entry as found in a manifest rather than added by hand.
    """
    when = when or timezone.now()
    source = Provenance.DETECTED if detection else Provenance.MANUAL
    try:
        with transaction.atomic():
            item = StackItem.objects.create(
                stack=stack,
                tool=tool,
                note=note.strip(),
                source=source,
                detected_file=detection.file[:300] if detection else "",
                detected_from=detection.origin[:120] if detection else "",
                detected_at=when if detection else None,
                added_by=added_by,
                added_at=when,
            )
    except IntegrityError:
        return StackItem.objects.get(stack=stack, tool=tool), False
    history = StackHistory.objects.create(
        stack=stack,
        tool=tool,
        tool_name=tool.name,
        action=HistoryAction.ADDED,
        source=source,
        actor=added_by,
        created_at=when,
    )
    Tool.objects.filter(pk=tool.pk).update(stack_count=F("stack_count") + 1)
    _touch_stack(stack, when=when, items=+1, actor=added_by)
    stack_history_recorded.send(sender=StackHistory, history=history)
    # The tool's stacks count and "companies using it" show on cached pages.
    bump(tools=[tool.slug], lists=True)
    return item, True


@transaction.atomic
def remove_tool_from_stack(
    *, stack: Stack, tool: Tool, removed_by: User | None, when: datetime | None = None
) -> bool:
    """Take a tool out of a stack; False when it was not there."""
    when = when or timezone.now()
    deleted, _ = StackItem.objects.filter(stack=stack, tool=tool).delete()
    if not deleted:
        return False
    history = StackHistory.objects.create(
        stack=stack,
        tool=tool,
        tool_name=tool.name,
        action=HistoryAction.REMOVED,
        actor=removed_by,
        created_at=when,
    )
    Tool.objects.filter(pk=tool.pk).update(stack_count=F("stack_count") - 1)
    _touch_stack(stack, when=when, items=-1, actor=removed_by)
    stack_history_recorded.send(sender=StackHistory, history=history)
    bump(tools=[tool.slug], lists=True)
    return True


@transaction.atomic
def record_ring_change(
    *,
    item: StackItem,
    ring_from: Ring,
    ring_to: Ring,
    reason: str = "",
    actor: User | None,
    when: datetime | None = None,
) -> StackHistory:
    """Write a company stack entry's move between radar rings into the
    stack's history, beside its additions and removals.

    The ring itself is kept by the changes app (``changes.services.set_ring``,
    the one caller), which checks editing rights and that the ring changed.
    """
    when = when or timezone.now()
    stack = item.stack
    history = StackHistory.objects.create(
        stack=stack,
        tool_id=item.tool_id,
        tool_name=item.tool.name,
        action=HistoryAction.RING,
        actor=actor,
        ring_from=ring_from,
        ring_to=ring_to,
        reason=reason[:RING_REASON_MAX_LENGTH],
        created_at=when,
    )
    # Recently updated, unless the change is dated before its last update.
    Stack.objects.filter(pk=stack.pk, updated_at__lt=when).update(updated_at=when)
    # The stack page's history, the company's page and radar.
    stack_changed(stack, actor_ids=[actor.pk] if actor else [])
    return history


@transaction.atomic
def edit_stack_note(*, item: StackItem, note: str) -> StackItem:
    """Change the "why we use it" line of an entry."""
    item.note = " ".join(note.split())
    item.save(update_fields=["note"])
    Stack.objects.filter(pk=item.stack_id).update(updated_at=timezone.now())
    bump(stack_page_version(item.stack.slug))
    return item


@transaction.atomic
def import_into_stack(
    *,
    stack: Stack,
    tools: Iterable[tuple[Tool, str]],
    added_by: User | None,
    origin: str,
    scan: StackScan | None = None,
) -> list[StackItem]:
    """Add detected tools (each with the file it was found in), all or nothing.

    Tools already in the stack are left as they are; the new entries are
    returned. What ``add_tool_to_stack`` does for one tool is done here for
    all of them at once, in a fixed number of queries however many tools
    there are: the entries with their evidence, one history row each (with
    ``scan`` as its source when a pushed scan brought them), the counters,
    ``stack_history_many_recorded`` for what other apps derive from the
    history, and the cached pages.
    """
    wanted: dict[int, tuple[Tool, str]] = {}
    for tool, file in tools:
        wanted.setdefault(tool.pk, (tool, file))
    if not wanted:
        return []
    present = set(
        StackItem.objects.filter(stack=stack, tool_id__in=list(wanted)).values_list(
            "tool_id", flat=True
        )
    )
    new = [pair for pk, pair in wanted.items() if pk not in present]
    if not new:
        return []
    when = timezone.now()
    detection = {"detected_from": origin[:120], "detected_at": when}
    try:
        with transaction.atomic():
            items = StackItem.objects.bulk_create(
                StackItem(
                    stack=stack,
                    tool=tool,
                    source=Provenance.DETECTED,
                    detected_file=file[:300],
                    added_by=added_by,
                    added_at=when,
                    **detection,
                )
                for tool, file in new
            )
    except IntegrityError:
        # Someone added one of these tools since they were read: one by one,
        # where an entry already there is a no-op.
        return _import_one_by_one(
            stack=stack, tools=new, added_by=added_by, origin=origin, scan=scan
        )
    histories = StackHistory.objects.bulk_create(
        StackHistory(
            stack=stack,
            tool=tool,
            tool_name=tool.name,
            action=HistoryAction.ADDED,
            source=Provenance.DETECTED,
            actor=added_by,
            scan=scan,
            created_at=when,
        )
        for tool, _file in new
    )
    Tool.objects.filter(pk__in=[tool.pk for tool, _file in new]).update(
        stack_count=F("stack_count") + 1
    )
    _touch_stack(stack, when=when, items=len(items), actor=added_by)
    stack_history_many_recorded.send(
        sender=StackHistory, stack=stack, histories=histories
    )
    bump(tools=[tool.slug for tool, _file in new], lists=True)
    return items


def _import_one_by_one(
    *,
    stack: Stack,
    tools: list[tuple[Tool, str]],
    added_by: User | None,
    origin: str,
    scan: StackScan | None,
) -> list[StackItem]:
    added = []
    for tool, file in tools:
        item, created = add_tool_to_stack(
            stack=stack,
            tool=tool,
            added_by=added_by,
            detection=Detection(file=file, origin=origin),
        )
        if created:
            added.append(item)
    if scan is not None and added:
        StackHistory.objects.filter(
            stack=stack,
            action=HistoryAction.ADDED,
            tool__in=[item.tool_id for item in added],
            scan__isnull=True,
            created_at__gte=added[0].added_at,
        ).update(scan=scan)
    return added


def _touch_stack(
    stack: Stack, *, when: datetime, items: int, actor: User | None
) -> None:
    Stack.objects.filter(pk=stack.pk).update(
        item_count=F("item_count") + items, updated_at=when
    )
    if stack.company_id:
        refresh_company_tool_count(company_id=stack.company_id)
    stack_changed(stack, actor_ids=[actor.pk] if actor else [])


def stack_changed(stack: Stack, *, actor_ids: Iterable[int] = ()) -> None:
    """Once committed, the pages and feeds showing the stack are rendered afresh:
    its company's page, and the feeds of those who follow its company, its
    owner or whoever changed it."""
    if stack.company_id:
        company_changed(company_ids=[stack.company_id])
    members = {*actor_ids, *([stack.owner_user_id] if stack.owner_user_id else [])}
    bump(stack_page_version(stack.slug), *(member_version(pk) for pk in members))


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
def delete_stack(*, stack: Stack) -> None:
    """Delete a stack and give its tools' counts back."""
    tool_ids = list(stack.items.values_list("tool", flat=True))
    company_id = stack.company_id
    # Its history leaves the feeds of those who followed its changes.
    stack_changed(
        stack,
        actor_ids=stack.history.exclude(actor=None)
        .values_list("actor", flat=True)
        .distinct(),
    )
    stack.delete()
    Tool.objects.filter(pk__in=tool_ids).update(stack_count=F("stack_count") - 1)
    bump(
        tools=Tool.objects.filter(pk__in=tool_ids).values_list("slug", flat=True),
        lists=True,
    )
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


@transaction.atomic
def move_stack_items(*, source: Tool, target: Tool) -> None:
    """After a merge, the source's stack entries become the target's.

    A stack that already lists the target keeps its own entry and loses the
    duplicate; the target's stack count is then recounted.
    """
    companies = list(
        Stack.objects.filter(items__tool__in=[source, target], company__isnull=False)
        .values_list("company", flat=True)
        .distinct()
    )
    has_target = StackItem.objects.filter(tool=target).values("stack")
    duplicates = StackItem.objects.filter(tool=source, stack__in=has_target)
    affected = list(duplicates.values_list("stack", flat=True))
    duplicates.delete()
    StackItem.objects.filter(tool=source).update(tool=target)
    StackHistory.objects.filter(tool=source).update(tool=target)
    Stack.objects.filter(pk__in=affected).update(item_count=F("item_count") - 1)
    Tool.objects.filter(pk=target.pk).update(
        stack_count=StackItem.objects.filter(tool=target).count()
    )
    Tool.objects.filter(pk=source.pk).update(stack_count=0)
    ToolPairing.objects.filter(tool=source).delete()
    ToolPairing.objects.filter(other=source).delete()
    refresh_company_tool_count(companies=companies)
    company_changed(company_ids=companies)


@transaction.atomic
def recount_tool_stack_counts(*, tool_ids: Iterable[int] | None = None) -> int:
    """Set ``stack_count`` from the stack entries themselves; a repair tool.

    Returns how many tools changed.
    """
    tools = (
        Tool.objects.all() if tool_ids is None else Tool.objects.filter(pk__in=tool_ids)
    )
    current = (
        StackItem.objects.filter(tool=OuterRef("pk"))
        .values("tool")
        .annotate(n=Count("stack", distinct=True))
        .values("n")
    )
    return (
        tools.annotate(real=Coalesce(Subquery(current), Value(0)))
        .exclude(stack_count=F("real"))
        .update(stack_count=Coalesce(Subquery(current), Value(0)))
    )


PAIRING_SQL = """
    SELECT a.tool_id, b.tool_id, COUNT(*)
    FROM {item} a JOIN {item} b ON a.stack_id = b.stack_id AND a.tool_id <> b.tool_id
    GROUP BY a.tool_id, b.tool_id
    HAVING COUNT(*) >= %s
"""


@transaction.atomic
def refresh_tool_pairings(*, min_stacks: int = 1) -> int:
    """Rebuild the "often used with" table from the current stacks.

    One grouped self-join computed by the database, then a bulk insert;
    readers keep seeing the old table until the transaction commits.
    Returns the number of pairs stored.
    """
    sql = PAIRING_SQL.format(item=connection.ops.quote_name(StackItem._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [min_stacks])
        rows = cursor.fetchall()
    ToolPairing.objects.all().delete()
    ToolPairing.objects.bulk_create(
        (ToolPairing(tool_id=a, other_id=b, stack_count=n) for a, b, n in rows),
        batch_size=2000,
    )
    return len(rows)


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


def preview_import(
    packages: Iterable[scanner.Package],
    *,
    stack: Stack | None,
    warnings: Iterable[scanner.Warning] = (),
    files: Iterable[str] = (),
) -> Detected:
    """Match a scan to the catalog for review, and count what it could not match.

    The one entry point for every way a scan arrives (the import page, the
    ``import_stack`` command, a CI push): the packages no alias names are
    counted as demand (``tools.services.record_unknown_packages``), once per
    stack however often it is scanned again.
    """
    detected = match_packages(packages, stack=stack, warnings=warnings, files=files)
    record_unknown_packages(
        [(p.ecosystem, p.name) for p in detected.unknown if p.ecosystem != "techstack"],
        stack=stack,
    )
    return detected
