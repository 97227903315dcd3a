"""Signals other apps listen to, so the stacks app never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by services.add_tool_to_stack and remove_tool_from_stack inside their
# transaction, after the history row is written and the stack row updated
# (so the stack row is locked and concurrent edits of one stack queue up),
# with ``history``, the new StackHistory row. Receivers keep what they
# derive from a stack's history exact in the same transaction.
stack_history_recorded = Signal()

# Sent by services.import_into_stack, in the same place in its transaction,
# once for many additions to one stack, with ``stack`` and ``histories`` (the
# new StackHistory rows). A receiver of ``stack_history_recorded`` listens to
# this one too, or it misses every import and pushed scan.
stack_history_many_recorded = Signal()
