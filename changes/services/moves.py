"""Moves derived from stack history: recording them as the history grows, and rebuilding them.

``record_history_event`` runs inside the stack services' transaction (see
``stacks.signals``), after the stack row was updated: the row lock makes a
concurrent edit of the same stack wait until this one commits, and its own
reads then see this one's history, so no pair of events is missed however
the edits interleave. ``rebuild_moves`` recomputes the table from the
history, to check it or repair it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from changes.models import MOVE_WINDOW, Move
from stacks.models import MEMBERSHIP_ACTIONS, HistoryAction, Stack, StackHistory
from stackshare.caching import STRUCTURE, bump
from tools.models import Tool

MoveKey = tuple[int, int, int]  # stack, from tool, to tool


@dataclass(frozen=True)
class Pair:
    """A removal of one tool and an addition of another, close enough."""

    left_at: datetime
    arrived_at: datetime

    @property
    def moved_at(self) -> datetime:
        return max(self.left_at, self.arrived_at)

    @property
    def days(self) -> int:
        return abs(self.arrived_at - self.left_at).days

    @property
    def rank(self) -> tuple[datetime, int, datetime]:
        """Lower is kept: completed first, then the quickest."""
        return (self.moved_at, self.days, self.left_at)


def _best(pairs: dict[MoveKey, Pair], key: MoveKey, pair: Pair) -> None:
    if key not in pairs or pair.rank < pairs[key].rank:
        pairs[key] = pair


@transaction.atomic
def record_history_event(*, history: StackHistory) -> list[Move]:
    """Derive the moves a new history row completes; returns those written.

    A removal pairs with additions of other tools of the same function in
    the same stack within the window, before or after it; an addition with
    such removals.
    """
    # The stack services pass the row they just wrote, tool attached.
    tool = history.tool if history.tool_id else None
    if tool is None or tool.function_id is None:
        return []
    if history.action not in MEMBERSHIP_ACTIONS:
        return []  # a ring change or a scan's "not seen" moves nothing
    removed = history.action == HistoryAction.REMOVED
    others = (
        StackHistory.objects.filter(
            stack_id=history.stack_id,
            tool__function_id=tool.function_id,
            action=HistoryAction.ADDED if removed else HistoryAction.REMOVED,
            created_at__gte=history.created_at - MOVE_WINDOW,
            created_at__lte=history.created_at + MOVE_WINDOW,
        )
        .exclude(tool_id=tool.pk)
        .values_list("tool_id", "created_at")
    )
    candidates: dict[MoveKey, Pair] = {}
    for other_id, at in others:
        _best(candidates, *_pairing(history, tool, other_id=other_id, at=at))
    return _write(candidates)


def _pairing(
    history: StackHistory, tool: Tool, *, other_id: int, at: datetime
) -> tuple[MoveKey, Pair]:
    """The move a new row (about ``tool``) makes with the opposite event of
    another tool (at ``at``): from the removed tool to the added one."""
    if history.action == HistoryAction.REMOVED:
        key = (history.stack_id, tool.pk, other_id)
        return key, Pair(left_at=history.created_at, arrived_at=at)
    key = (history.stack_id, other_id, tool.pk)
    return key, Pair(left_at=at, arrived_at=history.created_at)


@transaction.atomic
def record_history_events(*, histories: Iterable[StackHistory]) -> list[Move]:
    """``record_history_event`` for many new rows at once (an import, a
    pushed scan), in one query however many rows there are.

    Every row pairs exactly as it would alone: an addition with removals of
    another tool of its function in its stack within the window, a removal
    with such additions. Rows of the same batch pair with each other too,
    as they would one after another.
    """
    rows = [
        (h, h.tool)
        for h in histories
        if h.tool is not None
        and h.tool.function_id is not None
        and h.action in MEMBERSHIP_ACTIONS
    ]
    if not rows:
        return []
    others = StackHistory.objects.filter(
        stack_id__in={h.stack_id for h, _ in rows},
        tool__function_id__in={tool.function_id for _, tool in rows},
        action__in=MEMBERSHIP_ACTIONS,
        created_at__gte=min(h.created_at for h, _ in rows) - MOVE_WINDOW,
        created_at__lte=max(h.created_at for h, _ in rows) + MOVE_WINDOW,
    ).values_list("stack_id", "tool__function_id", "action", "tool_id", "created_at")
    places: dict[tuple[int, int, str], list[tuple[int, datetime]]] = {}
    for stack_id, function_id, action, tool_id, at in others:
        places.setdefault((stack_id, function_id, action), []).append((tool_id, at))
    candidates: dict[MoveKey, Pair] = {}
    for history, tool in rows:
        removed = history.action == HistoryAction.REMOVED
        wanted = HistoryAction.ADDED if removed else HistoryAction.REMOVED
        place = (history.stack_id, tool.function_id, wanted)
        for other_id, at in places.get(place, []):
            if other_id == tool.pk:
                continue
            if abs(at - history.created_at) > MOVE_WINDOW:
                continue
            _best(candidates, *_pairing(history, tool, other_id=other_id, at=at))
    return _write(candidates)


def _write(candidates: dict[MoveKey, Pair]) -> list[Move]:
    """Create the moves not stored yet; move the stored ones to a better pair."""
    if not candidates:
        return []
    stacks = {key[0] for key in candidates}
    stored = {
        (move.stack_id, move.from_tool_id, move.to_tool_id): move
        for move in Move.objects.select_for_update().filter(
            stack_id__in=stacks,
            from_tool_id__in={key[1] for key in candidates},
            to_tool_id__in={key[2] for key in candidates},
        )
    }
    written = []
    for key, pair in candidates.items():
        move = stored.get(key)
        if move is None:
            move = Move(stack_id=key[0], from_tool_id=key[1], to_tool_id=key[2])
        elif _pair_of(move).rank <= pair.rank:
            continue
        move.left_at, move.arrived_at = pair.left_at, pair.arrived_at
        move.moved_at, move.days = pair.moved_at, pair.days
        move.save()
        written.append(move)
    if written:
        tool_ids = {m.from_tool_id for m in written} | {m.to_tool_id for m in written}
        # Both tools' pages list where their teams came from and went.
        bump(tools=Tool.objects.filter(pk__in=tool_ids).values_list("slug", flat=True))
    return written


def _pair_of(move: Move) -> Pair:
    return Pair(left_at=move.left_at, arrived_at=move.arrived_at)


def moves_from_history(
    *, stack_ids: Iterable[int] | None = None
) -> dict[MoveKey, Pair]:
    """Every move the history holds, computed afresh (one query)."""
    rows = StackHistory.objects.membership().filter(tool__function__isnull=False)
    rows = rows.order_by()
    if stack_ids is not None:
        rows = rows.filter(stack_id__in=list(stack_ids))
    added: dict[tuple[int, int], list[tuple[int, datetime]]] = {}
    removed: dict[tuple[int, int], list[tuple[int, datetime]]] = {}
    for stack_id, tool_id, function_id, action, at in rows.values_list(
        "stack_id", "tool_id", "tool__function_id", "action", "created_at"
    ).iterator(chunk_size=5000):
        bucket = added if action == HistoryAction.ADDED else removed
        bucket.setdefault((stack_id, function_id), []).append((tool_id, at))
    pairs: dict[MoveKey, Pair] = {}
    for place, removals in removed.items():
        for from_id, left_at in removals:
            for to_id, arrived_at in added.get(place, []):
                if to_id != from_id and abs(arrived_at - left_at) <= MOVE_WINDOW:
                    pair = Pair(left_at=left_at, arrived_at=arrived_at)
                    _best(pairs, (place[0], from_id, to_id), pair)
    return pairs


@dataclass
class RebuildReport:
    """How the stored moves differed from the history."""

    missing: int = 0
    extra: int = 0
    changed: int = 0
    total: int = 0

    @property
    def is_exact(self) -> bool:
        return not (self.missing or self.extra or self.changed)


REBUILD_BATCH = 5000


def rebuild_moves(
    *, stack_ids: Iterable[int] | None = None, dry_run: bool = False
) -> RebuildReport:
    """Compare the moves with the history and (unless ``dry_run``) fix them.

    Every stack is checked when no ids are given, a batch of stacks per
    transaction, so the history is never held in memory all at once.
    """
    if stack_ids is not None:
        return _rebuild_batch(list(stack_ids), dry_run=dry_run)
    report = RebuildReport()
    ids = list(Stack.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), REBUILD_BATCH):
        part = _rebuild_batch(ids[start : start + REBUILD_BATCH], dry_run=dry_run)
        report.missing += part.missing
        report.extra += part.extra
        report.changed += part.changed
        report.total += part.total
    return report


@transaction.atomic
def _rebuild_batch(stack_ids: list[int], *, dry_run: bool) -> RebuildReport:
    expected = moves_from_history(stack_ids=stack_ids)
    stored = {
        (m.stack_id, m.from_tool_id, m.to_tool_id): m
        for m in Move.objects.select_for_update().filter(stack_id__in=stack_ids)
    }
    report = RebuildReport(total=len(expected))
    extra = [move.pk for key, move in stored.items() if key not in expected]
    report.extra = len(extra)
    new, changed = [], []
    for key, pair in expected.items():
        move = stored.get(key)
        if move is None:
            move = Move(stack_id=key[0], from_tool_id=key[1], to_tool_id=key[2])
            new.append(move)
        elif _pair_of(move) == pair:
            continue
        else:
            changed.append(move)
        move.left_at, move.arrived_at = pair.left_at, pair.arrived_at
        move.moved_at, move.days = pair.moved_at, pair.days
    report.missing, report.changed = len(new), len(changed)
    if dry_run or report.is_exact:
        return report
    Move.objects.filter(pk__in=extra).delete()
    Move.objects.bulk_create(new, batch_size=2000)
    Move.objects.bulk_update(
        changed, ["left_at", "arrived_at", "moved_at", "days"], batch_size=2000
    )
    bump(STRUCTURE)
    return report


@transaction.atomic
def rebuild_moves_after_merge(*, source: Tool, target: Tool) -> None:
    """Recompute the moves of the stacks whose history names either tool."""
    stack_ids = set(
        StackHistory.objects.filter(Q(tool=source) | Q(tool=target))
        .values_list("stack_id", flat=True)
        .distinct()
    )
    Move.objects.filter(Q(from_tool=source) | Q(to_tool=source)).delete()
    if stack_ids:
        rebuild_moves(stack_ids=stack_ids)
