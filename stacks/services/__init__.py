"""Writes to companies and stacks, one module per subject; import them from here."""

from __future__ import annotations

from stacks.services.adoption import (
    count_adoption,
    move_adoption,
    rebuild_adoption,
)
from stacks.services.companies import (
    add_company_member,
    company_changed,
    create_company,
    follow_company,
    hand_over_companies,
    is_last_owner,
    last_owner_error,
    mute_company,
    refresh_company_tool_count,
    remove_company_member,
    save_membership,
    set_company_role,
    unfollow_company,
    unique_slug,
    unmute_company,
    update_company,
)
from stacks.services.entries import (
    Detection,
    add_tool_to_stack,
    edit_stack_note,
    import_into_stack,
    preview_import,
    record_ring_change,
    remove_tool_from_stack,
)
from stacks.services.stacks import (
    create_stack,
    delete_company,
    delete_stack,
    stack_changed,
    update_stack,
)
from stacks.services.tool_counts import (
    give_back_stack_counts,
    move_stack_items,
    recount_tool_stack_counts,
    refresh_tool_pairings,
)

__all__ = [
    "Detection",
    "add_company_member",
    "add_tool_to_stack",
    "company_changed",
    "count_adoption",
    "create_company",
    "create_stack",
    "delete_company",
    "delete_stack",
    "edit_stack_note",
    "follow_company",
    "give_back_stack_counts",
    "hand_over_companies",
    "import_into_stack",
    "is_last_owner",
    "last_owner_error",
    "move_adoption",
    "move_stack_items",
    "mute_company",
    "preview_import",
    "rebuild_adoption",
    "record_ring_change",
    "recount_tool_stack_counts",
    "refresh_company_tool_count",
    "refresh_tool_pairings",
    "remove_company_member",
    "remove_tool_from_stack",
    "save_membership",
    "set_company_role",
    "stack_changed",
    "unfollow_company",
    "unique_slug",
    "unmute_company",
    "update_company",
    "update_stack",
]
