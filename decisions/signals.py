"""Signals other apps listen to, so the decisions app never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the services inside their transaction whenever a post is written,
# edited, hidden, restored or deleted, once the post and its tags are saved,
# with ``decision_id`` and ``tools_before``: the ids of the tools it chose
# before an edit of its tags (empty otherwise). Receivers keep what they
# count of posts (the changes app's outcome counts per tool) exact.
post_changed = Signal()
