"""Who reads the feed: what they follow and mute, read in one query and kept in the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf

from accounts.models import (
    MemberFollow,
    MemberMute,
    User,
    member_version,
    reader_version,
)
from stacks.models import CompanyFollow, CompanyMute, company_page_version
from stackshare.caching import STRUCTURE, buckets, kept, tool_version
from tools.models import CategoryFollow, Tool, ToolFollow, ToolMute


@dataclass
class Reader:
    """What the feed needs to know about who reads it: follows and mutes."""

    user: User | None
    followed_tools: dict[int, str] = field(default_factory=dict)  # id -> name
    followed_categories: dict[int, str] = field(default_factory=dict)
    followed_members: dict[int, str] = field(default_factory=dict)
    followed_companies: dict[int, str] = field(default_factory=dict)
    muted_tools: set[int] = field(default_factory=set)
    muted_members: set[int] = field(default_factory=set)
    muted_companies: set[int] = field(default_factory=set)
    # The buckets of the cache versions of what the reader follows
    # (stackshare.caching.buckets), worked out once with the rest.
    followed_buckets: list[str] = field(default_factory=list)

    @property
    def is_site_wide(self) -> bool:
        return self.user is None

    @property
    def follows_anything(self) -> bool:
        return bool(
            self.followed_tools
            or self.followed_categories
            or self.followed_members
            or self.followed_companies
        )

    @classmethod
    def for_user(cls, user: User | None) -> Reader:
        """Everything the member follows and mutes, in one UNION query.

        Performance: kept in the shared cache under the member's reader
        version, which every follow and mute bumps (accounts.services.
        reader_changed), and ``STRUCTURE`` for the names it holds.
        """
        if user is None:
            return cls(user=None)
        reader = kept(
            f"reader:{user.pk}",
            lambda: cls.read(user),
            versions=[STRUCTURE, reader_version(user.pk)],
        )
        reader.user = user
        return reader

    @classmethod
    def read(cls, user: User) -> Reader:
        """The rows themselves; the member is set by :meth:`for_user`."""
        reader = cls(user=None)
        targets = {
            "tool": reader.followed_tools,
            "category": reader.followed_categories,
            "member": reader.followed_members,
            "company": reader.followed_companies,
        }
        mutes = {
            "muted-tool": reader.muted_tools,
            "muted-member": reader.muted_members,
            "muted-company": reader.muted_companies,
        }
        followed_versions = []
        for kind, pk, name, slug in _follows_and_mutes(user):
            if kind in targets:
                targets[kind][pk] = name
            else:
                mutes[kind].add(pk)
            if kind == "tool":
                followed_versions.append(tool_version(slug))
            elif kind == "company":
                followed_versions.append(company_page_version(slug))
            elif kind == "member":
                followed_versions.append(member_version(pk))
        reader.followed_buckets = buckets(followed_versions)
        return reader

    def page_versions(self) -> list[str]:
        """What the reader's feed is built from, as cache versions.

        Their reader version moves with every follow and mute; the services
        bump a tool's, a company's or a member's version with each post,
        stack change or point about it; approvals, moderation and renames
        bump ``STRUCTURE``. New tools in followed categories appear through
        approvals. The followed things' versions are read as their buckets
        (stackshare.caching.buckets): at most 64 keys, and 8 for a reader of
        hundreds of things.
        """
        own = [reader_version(self.user.pk)] if self.user else []
        return [STRUCTURE, *own, *self.followed_buckets]

    def category_reason(self, tool: Tool) -> str:
        """ "because you follow Databases" for a tool below a followed node."""
        function = tool.function
        layer = function.parent.parent_id if function.parent else None
        for node_id in (function.pk, function.parent_id, layer):
            if node_id in self.followed_categories:
                return f"because you follow {self.followed_categories[node_id]}"
        return ""


def _follows_and_mutes(user: User) -> QuerySet[Any]:
    """(kind, id, name, slug) rows of the member's follows and mutes, in one query."""
    no_name = Value("", output_field=CharField())

    def rows(
        queryset: QuerySet[Any],
        kind: str,
        pk: str,
        name: Combinable | None,
        slug: Combinable | None = None,
    ) -> QuerySet[Any]:
        label = Value(kind, output_field=CharField())
        return queryset.order_by().values_list(
            label, pk, name or no_name, slug or no_name
        )

    # A member is named as User.name names them: display name, else handle.
    member_name = Coalesce(
        NullIf(F("followed__display_name"), Value("")), F("followed__username")
    )
    return rows(
        ToolFollow.objects.filter(user=user),
        "tool",
        "tool_id",
        F("tool__name"),
        F("tool__slug"),
    ).union(
        rows(
            CategoryFollow.objects.filter(user=user),
            "category",
            "category_id",
            F("category__name"),
        ),
        rows(
            MemberFollow.objects.filter(follower=user),
            "member",
            "followed_id",
            member_name,
        ),
        rows(
            CompanyFollow.objects.filter(user=user),
            "company",
            "company_id",
            F("company__name"),
            F("company__slug"),
        ),
        rows(ToolMute.objects.filter(user=user), "muted-tool", "tool_id", None),
        rows(MemberMute.objects.filter(user=user), "muted-member", "muted_id", None),
        rows(
            CompanyMute.objects.filter(user=user), "muted-company", "company_id", None
        ),
        all=True,
    )
