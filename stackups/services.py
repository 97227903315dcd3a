"""Reading a stackup address, and the writes behind a stackup page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import ModerationAction, User
from accounts.services import record_moderation
from stackshare import viewcounts
from stackshare.caching import bump
from stackups.models import (
    MAX_SLUG_LENGTH,
    MAX_TOOLS,
    MIN_TOOLS,
    SEPARATOR,
    Stackup,
    StackupTool,
    stackup_slug,
)
from tools.models import Tool, ToolRedirect

TOOL_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class UnknownStackupError(Exception):
    """The address names no comparison we can show; the message says why."""


@dataclass(frozen=True)
class Resolved:
    """The tools of an address, in canonical order, and that order's slug."""

    tools: list[Tool]
    slug: str


def resolve(address: str) -> Resolved:
    """Turn "flask-vs-rust" into its tools, or say what is wrong with it.

    Slugs of merged or renamed tools resolve to the tool they now point to,
    so old links keep working; the caller redirects to ``slug`` when it
    differs from the address.
    """
    if len(address) > MAX_SLUG_LENGTH:
        raise UnknownStackupError("That address is too long to be a comparison.")
    slugs = address.lower().split(SEPARATOR)
    if len(slugs) < MIN_TOOLS:
        raise UnknownStackupError(
            "A comparison needs at least two tools, like flask-vs-django."
        )
    if len(slugs) > MAX_TOOLS:
        raise UnknownStackupError(
            f"A comparison shows at most {MAX_TOOLS} tools; this address names {len(slugs)}."
        )
    for slug in slugs:
        if not TOOL_SLUG.match(slug):
            raise UnknownStackupError(f"“{slug[:60]}” is not a tool address.")
    if len(set(slugs)) != len(slugs):
        raise UnknownStackupError("The same tool appears twice in this comparison.")

    found = {
        tool.slug: tool
        for tool in Tool.objects.approved().with_category_path().filter(slug__in=slugs)
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        moved = {
            redirect.old_slug: redirect.tool
            for redirect in ToolRedirect.objects.select_related(
                "tool__function__parent__parent"
            ).filter(old_slug__in=missing, tool__status="approved")
        }
        for slug in missing:
            if slug not in moved:
                raise UnknownStackupError(f"We know no tool called “{slug[:60]}”.")
            found[slug] = moved[slug]
    tools = sorted({tool.pk: tool for tool in found.values()}.values(), key=_slug)
    if len(tools) < len(slugs):
        raise UnknownStackupError("Two of these addresses now lead to the same tool.")
    return Resolved(tools=tools, slug=stackup_slug([tool.slug for tool in tools]))


def _slug(tool: Tool) -> str:
    return tool.slug


def stackup_shown(resolved: Resolved) -> Stackup:
    """The stackup of these tools to show: its row, or an unsaved one.

    Reading a comparison writes nothing; a row is made when something needs
    one (read by NEW_ROW_VIEWS visitors in a day, see count_stackup_view;
    an editorial text; the demo).
    """
    return Stackup.objects.filter(slug=resolved.slug).first() or Stackup(
        slug=resolved.slug
    )


def stackup_for(resolved: Resolved) -> Stackup:
    """The stackup row of these tools, created if there is none yet."""
    stackup = Stackup.objects.filter(slug=resolved.slug).first()
    if stackup is not None:
        return stackup
    try:
        with transaction.atomic():
            stackup = Stackup.objects.create(slug=resolved.slug)
            StackupTool.objects.bulk_create(
                StackupTool(stackup=stackup, tool=tool) for tool in resolved.tools
            )
    except IntegrityError:  # a concurrent first view created it
        stackup = Stackup.objects.get(slug=resolved.slug)
    return stackup


# A comparison gets its row when this many visitors read it in one day, so
# a crawler reading every pair of tools once grows no table.
NEW_ROW_VIEWS = 2


def count_stackup_view(*, slug: str, visitor: str) -> bool:
    """Count the reader's view of the comparison at this canonical address
    once a day (stackshare.viewcounts); True when it counted.

    A comparison without a row holds its views in the cache until
    NEW_ROW_VIEWS visitors have read it, then gets a row with them.
    """
    subject = f"stackup:{slug}"
    rows = Stackup.objects.filter(slug=slug)
    counted = viewcounts.count_view(subject=subject, visitor=visitor, rows=rows)
    if counted is not None:
        return counted
    held = viewcounts.hold_view(subject=subject)
    if held >= NEW_ROW_VIEWS:
        try:
            stackup = stackup_for(resolve(slug))
        except UnknownStackupError:  # a tool went since the page was read
            return False
        rows.filter(pk=stackup.pk).update(view_count=F("view_count") + held)
        viewcounts.release_views(subject=subject)
    return True


@transaction.atomic
def edit_differences(*, stackup: Stackup, text: str, editor: User) -> Stackup:
    """Save the editorial text and who wrote it when, in the audit trail too."""
    stackup.differences = text
    stackup.differences_edited_by = editor
    stackup.differences_edited_at = timezone.now()
    stackup.save(
        update_fields=["differences", "differences_edited_by", "differences_edited_at"]
    )
    record_moderation(actor=editor, action=ModerationAction.EDIT, target=stackup)
    # The cached comparison pages are keyed by their tools' versions.
    bump(tools=stackup.slug.split(SEPARATOR))
    return stackup


@transaction.atomic
def move_stackups(*, source: Tool, target: Tool) -> None:
    """After a merge, the source's stackups become the target's.

    A stackup that already had both tools would shrink to one and goes; one
    whose new address already exists adds its views to it.
    """
    for stackup in Stackup.objects.filter(tools=source).prefetch_related("tools"):
        slugs = [tool.slug for tool in stackup.tools.all()]
        if target.slug in slugs:
            stackup.delete()
            continue
        new_slug = stackup_slug(
            [target.slug if slug == source.slug else slug for slug in slugs]
        )
        twin = Stackup.objects.filter(slug=new_slug).first()
        if twin is not None:
            twin.view_count += stackup.view_count
            twin.save(update_fields=["view_count"])
            stackup.delete()
            continue
        StackupTool.objects.filter(stackup=stackup, tool=source).update(tool=target)
        stackup.slug = new_slug
        stackup.save(update_fields=["slug"])
