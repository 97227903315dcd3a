"""Writes of the changes app: moves derived from stack history, declared
moves, decision records, radar rings and ADR drafts, one module each."""

from __future__ import annotations

from changes.services.drafts import dismiss_draft, import_adr_drafts, publish_draft
from changes.services.moves import (
    REBUILD_BATCH,
    MoveKey,
    Pair,
    RebuildReport,
    moves_from_history,
    rebuild_moves,
    rebuild_moves_after_merge,
    record_history_event,
    record_history_events,
)
from changes.services.radar import moderate_ring, move_radar_entries, set_ring
from changes.services.records import (
    declare_decision_moves,
    moderate_decision_record,
    record_outcome,
    save_decision_record,
    undeclare_decision_move,
)
from changes.services.standing import rebuild_standings, recount_standing

__all__ = [
    "REBUILD_BATCH",
    "MoveKey",
    "Pair",
    "RebuildReport",
    "declare_decision_moves",
    "dismiss_draft",
    "import_adr_drafts",
    "moderate_decision_record",
    "moderate_ring",
    "move_radar_entries",
    "moves_from_history",
    "publish_draft",
    "rebuild_moves",
    "rebuild_moves_after_merge",
    "rebuild_standings",
    "record_history_event",
    "record_history_events",
    "record_outcome",
    "recount_standing",
    "save_decision_record",
    "set_ring",
    "undeclare_decision_move",
]
