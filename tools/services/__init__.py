"""Writes to the catalog: follows, votes, pros and cons, submissions, moderation,
synonyms and the demand for missing tools.

Counters on Tool and ProCon move in the same transaction as the row that
justifies them, and only when that row was really created or deleted, so
two clicks at once never count twice (the unique constraints refuse the
second row).
"""

from __future__ import annotations

from tools.services.curation import (
    approve_tool,
    deprecate_tool,
    merge_tools,
    reject_tool,
    save_tool_edit,
    set_procon_hidden,
    submit_tool,
    unique_tool_slug,
)
from tools.services.demand import (
    MAX_UNKNOWN_PER_SCAN,
    alias_unknown_packages,
    create_tool_from_unknown_package,
    record_unknown_packages,
)
from tools.services.member_actions import (
    add_procon,
    follow_category,
    follow_tool,
    mute_tool,
    unfollow_category,
    unfollow_tool,
    unmute_tool,
    vote_for_procon,
    vote_for_tool,
    withdraw_procon_vote,
    withdraw_tool_vote,
)
from tools.services.synonyms import (
    add_synonym,
    check_synonym,
    delete_synonyms,
    save_synonym,
)

__all__ = [
    "MAX_UNKNOWN_PER_SCAN",
    "add_procon",
    "add_synonym",
    "alias_unknown_packages",
    "approve_tool",
    "check_synonym",
    "create_tool_from_unknown_package",
    "delete_synonyms",
    "deprecate_tool",
    "follow_category",
    "follow_tool",
    "merge_tools",
    "mute_tool",
    "record_unknown_packages",
    "reject_tool",
    "save_synonym",
    "save_tool_edit",
    "set_procon_hidden",
    "submit_tool",
    "unfollow_category",
    "unfollow_tool",
    "unique_tool_slug",
    "unmute_tool",
    "vote_for_procon",
    "vote_for_tool",
    "withdraw_procon_vote",
    "withdraw_tool_vote",
]
