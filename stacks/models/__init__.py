"""Companies, their members and the stacks that companies and members share.

A stack is owned by exactly one company or one member. Its entries say
where they came from (added by hand or detected in a manifest), and every
addition and removal leaves a history row, so a stack's past is as visible
as its present. Counters used for sorting (``Tool.stack_count``,
``Stack.item_count``, ``Company.tool_count``) are kept exact by
``stacks.services`` in the same transaction as the rows they count.
"""

from __future__ import annotations

from stacks.models.companies import (
    EDITING_ROLES,
    MONOGRAM_COLOURS,
    Company,
    CompanyFollow,
    CompanyMembership,
    CompanyMembershipQuerySet,
    CompanyMute,
    CompanyQuerySet,
    CompanySize,
    Industry,
    Role,
    company_page_version,
    employer_of,
    rank_of,
)
from stacks.models.history import (
    MEMBERSHIP_ACTIONS,
    RECENT_MONTHS,
    RING_ORDER,
    RING_REASON_MAX_LENGTH,
    AdoptionMonth,
    HistoryAction,
    RecentAdoption,
    Ring,
    StackHistory,
    StackHistoryQuerySet,
    StackScan,
)
from stacks.models.stacks import (
    NOTE_MAX_LENGTH,
    PREVIEW_TOOLS,
    Provenance,
    Stack,
    StackItem,
    StackItemQuerySet,
    StackQuerySet,
    stack_page_version,
)
from stacks.models.tool_usage import ToolPairing, ToolPairingQuerySet, ToolUsers

__all__ = [
    "EDITING_ROLES",
    "MEMBERSHIP_ACTIONS",
    "MONOGRAM_COLOURS",
    "NOTE_MAX_LENGTH",
    "PREVIEW_TOOLS",
    "RECENT_MONTHS",
    "RING_ORDER",
    "RING_REASON_MAX_LENGTH",
    "AdoptionMonth",
    "Company",
    "CompanyFollow",
    "CompanyMembership",
    "CompanyMembershipQuerySet",
    "CompanyMute",
    "CompanyQuerySet",
    "CompanySize",
    "HistoryAction",
    "Industry",
    "Provenance",
    "RecentAdoption",
    "Ring",
    "Role",
    "Stack",
    "StackHistory",
    "StackHistoryQuerySet",
    "StackItem",
    "StackItemQuerySet",
    "StackQuerySet",
    "StackScan",
    "ToolPairing",
    "ToolPairingQuerySet",
    "ToolUsers",
    "company_page_version",
    "employer_of",
    "rank_of",
    "stack_page_version",
]
