"""Counts kept per tool: entries moved by a merge, stack counts, "often used with" pairs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from stacks.models import Stack, StackHistory, StackItem, ToolPairing
from stacks.services.adoption import move_adoption
from stacks.services.companies import company_changed, refresh_company_tool_count
from stackshare.caching import bump
from tools.models import Tool


def give_back_stack_counts(*, stack: Stack) -> None:
    """Before a stack is deleted, by a service or a cascade: its tools are
    in one stack fewer, and their pages and lists show it."""
    tools = Tool.objects.filter(pk__in=stack.items.values("tool"))
    slugs = list(tools.values_list("slug", flat=True))
    tools.update(stack_count=F("stack_count") - 1)
    bump(tools=slugs, lists=True)


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
    move_adoption(source_id=source.pk, target_id=target.pk)
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
