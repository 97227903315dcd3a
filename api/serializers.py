"""What the API shows: only what the public pages show.

Members appear by user name, display name and profile link; never an
e-mail, a mute, a feed key or anything from moderation.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from decisions.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Comment,
    Decision,
    DecisionKind,
    DecisionTool,
)
from stacks.models import Company, Stack, StackHistory, StackItem
from tools.models import Alias, Category, Tool


class CategorySerializer(serializers.ModelSerializer[Category]):
    # The stubs declare every field's own ``parent`` (the serializer it sits
    # in); a declared field of that name is still only a field.
    parent: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(  # type: ignore[assignment]  # see the comment above
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Category
        fields = ["slug", "name", "level", "parent", "description", "follower_count"]


class MemberRefSerializer(serializers.ModelSerializer[User]):
    display_name = serializers.CharField(source="name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "display_name", "url"]

    def get_url(self, member: User) -> str:
        return str(
            self.context["request"].build_absolute_uri(member.get_absolute_url())
        )


class ToolRefSerializer(serializers.ModelSerializer[Tool]):
    class Meta:
        model = Tool
        fields = ["slug", "name"]


class ToolSerializer(serializers.ModelSerializer[Tool]):
    """A tool as the catalog lists it; needs ``with_category_path``."""

    function: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    category = serializers.CharField(source="function.parent.slug", read_only=True)
    layer = serializers.CharField(source="function.parent.parent.slug", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = [
            "slug",
            "name",
            "tagline",
            "layer",
            "category",
            "function",
            "website",
            "repository_url",
            "license",
            "is_open_source",
            "is_deprecated",
            "stack_count",
            "follower_count",
            "vote_count",
            "github_stars",
            "created_at",
            "url",
        ]

    def get_url(self, tool: Tool) -> str:
        return str(self.context["request"].build_absolute_uri(tool.get_absolute_url()))


class AliasSerializer(serializers.ModelSerializer[Alias]):
    class Meta:
        model = Alias
        fields = ["ecosystem", "name"]


class PairedToolSerializer(ToolRefSerializer):
    stacks_together = serializers.IntegerField(source="together", read_only=True)

    class Meta(ToolRefSerializer.Meta):
        fields = [*ToolRefSerializer.Meta.fields, "stacks_together"]


class ToolDetailSerializer(ToolSerializer):
    description = serializers.CharField(read_only=True)
    aliases = AliasSerializer(many=True, read_only=True)
    alternatives = serializers.SerializerMethodField()
    often_used_with = serializers.SerializerMethodField()
    successor = ToolRefSerializer(read_only=True, allow_null=True)
    tags: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta(ToolSerializer.Meta):
        fields = [
            *ToolSerializer.Meta.fields,
            "description",
            "tags",
            "github_forks",
            "github_pushed_at",
            "successor",
            "aliases",
            "alternatives",
            "often_used_with",
        ]

    @extend_schema_field(ToolRefSerializer(many=True))
    def get_alternatives(self, tool: Tool) -> list[dict[str, Any]]:
        refs: list[dict[str, Any]] = ToolRefSerializer(
            self.context["alternatives"], many=True
        ).data  # type: ignore[assignment]  # many=True gives a list; the stubs say ReturnDict
        return refs

    @extend_schema_field(PairedToolSerializer(many=True))
    def get_often_used_with(self, tool: Tool) -> list[dict[str, Any]]:
        paired: list[dict[str, Any]] = PairedToolSerializer(
            self.context["often_used_with"], many=True
        ).data  # type: ignore[assignment]  # as above
        return paired


class CompanySerializer(serializers.ModelSerializer[Company]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Company
        fields = [
            "slug",
            "name",
            "tagline",
            "description",
            "website",
            "location",
            "size",
            "industry",
            "tool_count",
            "follower_count",
            "created_at",
            "url",
        ]

    def get_url(self, company: Company) -> str:
        return str(
            self.context["request"].build_absolute_uri(company.get_absolute_url())
        )


class StackSerializer(serializers.ModelSerializer[Stack]):
    """A stack; needs ``with_owner``."""

    company: serializers.SlugRelatedField[Company] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    owner_member: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        source="owner_user", slug_field="username", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Stack
        fields = [
            "slug",
            "name",
            "description",
            "company",
            "owner_member",
            "item_count",
            "created_at",
            "updated_at",
            "url",
        ]

    def get_url(self, stack: Stack) -> str:
        return str(self.context["request"].build_absolute_uri(stack.get_absolute_url()))


class StackItemSerializer(serializers.ModelSerializer[StackItem]):
    tool = ToolRefSerializer(read_only=True)
    provenance = serializers.CharField(source="source", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = StackItem
        fields = ["tool", "note", "provenance", "evidence", "added_at"]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "file": {"type": "string"},
                "scan": {"type": "string"},
                "detected_at": {
                    "type": "string",
                    "format": "date-time",
                    "nullable": True,
                },
                "not_seen_since": {
                    "type": "string",
                    "format": "date-time",
                    "nullable": True,
                },
            },
        }
    )
    def get_evidence(self, item: StackItem) -> dict[str, Any] | None:
        if not item.is_detected:
            return None
        not_seen = getattr(item, "not_seen_since", None)
        return {
            "file": item.detected_file,
            "scan": item.detected_from,
            "detected_at": item.detected_at and item.detected_at.isoformat(),
            "not_seen_since": not_seen and not_seen.isoformat(),
        }


class StackDetailSerializer(StackSerializer):
    items = StackItemSerializer(many=True, read_only=True)

    class Meta(StackSerializer.Meta):
        fields = [*StackSerializer.Meta.fields, "items"]


class StackHistorySerializer(serializers.ModelSerializer[StackHistory]):
    tool: serializers.SlugRelatedField[Tool] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = StackHistory
        # A ring change ("ring") names its two radar rings and the reason;
        # they are blank on other events.
        fields = [
            "tool",
            "tool_name",
            "action",
            "source",
            "ring_from",
            "ring_to",
            "reason",
            "created_at",
        ]


class DecisionToolSerializer(serializers.ModelSerializer[DecisionTool]):
    tool = ToolRefSerializer(read_only=True)

    class Meta:
        model = DecisionTool
        fields = ["tool", "role"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    author = MemberRefSerializer(read_only=True)
    company: serializers.SlugRelatedField[Company] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    tools = DecisionToolSerializer(source="tool_tags", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "body_html",
            "author",
            "company",
            "tools",
            "upvote_count",
            "comment_count",
            "created_at",
            "edited_at",
            "url",
        ]

    def get_url(self, decision: Decision) -> str:
        return str(
            self.context["request"].build_absolute_uri(decision.get_absolute_url())
        )


class CommentSerializer(serializers.ModelSerializer[Comment]):
    author = MemberRefSerializer(read_only=True)
    parent: serializers.PrimaryKeyRelatedField[Comment] = (
        serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[assignment]  # see CategorySerializer.parent
    )

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "body", "body_html", "created_at"]


class MemberSerializer(MemberRefSerializer):
    class Meta(MemberRefSerializer.Meta):
        fields = [*MemberRefSerializer.Meta.fields, "date_joined"]


# Writes


class DecisionWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)
    chosen = serializers.ListField(
        child=serializers.SlugField(), max_length=10, default=list
    )
    considered = serializers.ListField(
        child=serializers.SlugField(), max_length=10, default=list
    )


class CommentWriteSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)
    parent = serializers.IntegerField(required=False, allow_null=True)  # type: ignore[assignment]  # see CategorySerializer.parent


class StackupSerializer(serializers.Serializer[Any]):
    tools = ToolSerializer(many=True)
    often_used_with = PairedToolSerializer(many=True)


class PushedRecordsSerializer(serializers.Serializer[Any]):
    new = serializers.IntegerField(help_text="Drafts made from ADR files seen first.")
    refreshed = serializers.IntegerField(
        help_text="Drafts still waiting, updated from their files."
    )
    review_url = serializers.URLField(
        help_text="Where the stack's editors publish or dismiss them."
    )


class ScanOutcomeSerializer(serializers.Serializer[Any]):
    scan = serializers.IntegerField(source="scan.pk")
    received_at = serializers.DateTimeField(source="scan.received_at")
    repeated = serializers.BooleanField(
        help_text="The same scan was pushed before; nothing changed."
    )
    added = serializers.ListField(child=serializers.CharField())
    not_seen = serializers.ListField(child=serializers.CharField())
    seen_again = serializers.ListField(child=serializers.CharField())
    unknown = serializers.IntegerField(help_text="Packages that match no catalog tool.")
    decision_records = PushedRecordsSerializer(
        read_only=True,
        help_text="Present when the scan carried ADR files: they wait as drafts.",
    )
