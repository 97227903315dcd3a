"""Signals other apps listen to, so the catalog never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by services.merge_tools inside its transaction, before the source is
# deleted, with ``source`` and ``target``: receivers move their own rows that
# point at the source (stack entries, stackups, decision tags) to the target.
tool_merged = Signal()
