"""What the assistant's tools answer: typed, so the server publishes schemas.

The field lists follow the public API's serializers (``api.serializers``),
which fill most of them: only what the public pages show, every member by
user name and profile link, never an e-mail. Each answer and each thing in
it carries ``url``, the absolute address of its page, for the assistant to
cite.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    # The serializers' dicts carry a few fields an answer leaves out
    # (``body_html``); they are dropped, not refused.
    model_config = ConfigDict(extra="ignore")


class ToolRef(Answer):
    slug: str
    name: str
    url: str = Field(description="The tool's page.")


class ToolSummary(ToolRef):
    """A tool as the catalog lists it."""

    tagline: str
    layer: str = Field(
        description="Top level of the catalog, e.g. application-and-data."
    )
    category: str
    function: str = Field(description="The tool's primary function in the catalog.")
    website: str
    repository_url: str
    license: str
    is_open_source: bool
    is_deprecated: bool
    stack_count: int = Field(description="Stacks that list the tool.")
    follower_count: int
    vote_count: int
    github_stars: int | None


class PairedTool(ToolRef):
    stacks_together: int = Field(description="Stacks listing both tools.")


class Point(Answer):
    """A pro or a con, as members wrote and voted it."""

    text: str
    votes: int


class CompanyRef(Answer):
    slug: str
    name: str
    url: str


class CompanySummary(CompanyRef):
    tagline: str
    website: str
    location: str
    size: str
    industry: str
    tool_count: int = Field(description="Distinct tools across its stacks.")
    follower_count: int


class MemberRef(Answer):
    username: str
    display_name: str
    url: str


class TaggedTool(Answer):
    tool: ToolRef
    role: Literal["chosen", "considered"]


class DecisionSummary(Answer):
    """A member's post: a decision taken, or a question asking for advice."""

    id: int
    kind: Literal["decided", "advice"]
    title: str
    excerpt: str = Field(description="The start of the post's text (Markdown).")
    author: MemberRef
    company: str | None = Field(description="Slug of the author's company, if any.")
    tools: list[TaggedTool]
    upvote_count: int
    comment_count: int
    created_at: datetime
    url: str


class Move(Answer):
    """Teams that dropped one tool for another of the same function."""

    from_tool: ToolRef
    to_tool: ToolRef
    teams: int = Field(description="Stacks that made this move.")
    url: str = Field(description="The page about this migration.")


class StackupRef(Answer):
    title: str
    url: str


class SearchAnswer(Answer):
    query: str
    url: str = Field(description="The search page for this query.")
    tools: list[ToolSummary]


class ToolAnswer(ToolSummary):
    """Everything the tool page shows to every reader."""

    description: str
    successor: ToolRef | None = Field(
        description="For a deprecated tool: what to use instead."
    )
    pros: list[Point]
    cons: list[Point]
    alternatives: list[ToolRef]
    alternatives_curated: bool = Field(
        description="True when editors chose the alternatives; otherwise they "
        "are the most used tools of the same function."
    )
    often_used_with: list[PairedTool]
    companies: list[CompanyRef] = Field(description="Some companies using it.")
    more_companies: bool
    decisions: list[DecisionSummary]
    came_from: list[Move]
    went_to: list[Move]
    stackups: list[StackupRef] = Field(description="Popular comparisons with it.")


class ComparedTool(ToolSummary):
    pros: list[Point]
    cons: list[Point]


class ComparisonAnswer(Answer):
    title: str
    url: str = Field(description="The comparison (stackup) page.")
    tools: list[ComparedTool]
    decisions: list[DecisionSummary] = Field(
        description="Posts about these tools, those naming most of them first."
    )
    moves: list[Move] = Field(description="Teams that moved between them.")
    often_used_with: list[PairedTool] = Field(
        description="Tools most often in the same stacks as these."
    )


class CompaniesAnswer(Answer):
    tools: list[ToolRef] = Field(description="Every company uses all of these.")
    url: str = Field(description="The companies page filtered by the first tool.")
    companies: list[CompanySummary]
    more: bool = Field(description="More companies match than were returned.")


class DecisionsAnswer(Answer):
    tool: ToolRef
    url: str = Field(description="The decisions page filtered by the tool.")
    decisions: list[DecisionSummary]
    more: bool


class MigrationsAnswer(Answer):
    tool: ToolRef
    direction: Literal["from", "to"]
    moves: list[Move] = Field(description="Most teams first.")


class Finding(Answer):
    tool: ToolSummary
    packages: list[str] = Field(
        description="What named it: ecosystem:name, and the file it is in."
    )


class ScanAnswer(Answer):
    path: str
    files: list[str] = Field(description="Manifests read, relative to the path.")
    tools: list[Finding] = Field(description="Catalog tools the manifests name.")
    unknown: list[str] = Field(
        description="Packages that match no catalog tool (the first 100)."
    )
    unknown_count: int
    warnings: list[str]
