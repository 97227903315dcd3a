"""The tool catalog: the category tree, tools, aliases, votes, follows, pros and cons."""

from __future__ import annotations

from tools.models.categories import (
    Category,
    CategoryFollow,
    CategoryLevel,
    CategoryQuerySet,
)
from tools.models.packages import (
    REGISTRY_PAGES,
    Alias,
    Ecosystem,
    UnknownPackage,
    UnknownPackageSighting,
    normalize_package_name,
    parse_alias,
)
from tools.models.procons import (
    PROCON_MAX_LENGTH,
    ProCon,
    ProConKind,
    ProConQuerySet,
    ProConVote,
    normalize_statement,
)
from tools.models.search_keys import SearchKey, SearchKeyKind, Synonym
from tools.models.tools import (
    AUTOCOMPLETE_RANKED,
    MAX_QUERY_LENGTH,
    Alternative,
    Tool,
    ToolFollow,
    ToolMute,
    ToolQuerySet,
    ToolRedirect,
    ToolStatus,
    ToolVote,
)

__all__ = [
    "AUTOCOMPLETE_RANKED",
    "MAX_QUERY_LENGTH",
    "PROCON_MAX_LENGTH",
    "REGISTRY_PAGES",
    "Alias",
    "Alternative",
    "Category",
    "CategoryFollow",
    "CategoryLevel",
    "CategoryQuerySet",
    "Ecosystem",
    "ProCon",
    "ProConKind",
    "ProConQuerySet",
    "ProConVote",
    "SearchKey",
    "SearchKeyKind",
    "Synonym",
    "Tool",
    "ToolFollow",
    "ToolMute",
    "ToolQuerySet",
    "ToolRedirect",
    "ToolStatus",
    "ToolVote",
    "UnknownPackage",
    "UnknownPackageSighting",
    "normalize_package_name",
    "normalize_statement",
    "parse_alias",
]
