"""Forms for posts, comments and reports, and the tool picker behind the post form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.text import slugify

from decisions.models import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    MAX_TOOLS,
    TITLE_MAX_LENGTH,
    Decision,
    DecisionKind,
    ReportReason,
    ToolRole,
)
from tools.models import Tool

# Enough for a full post in both roles plus what is being typed; anything
# beyond is refused before a single query runs.
MAX_SUBMITTED_TOOLS = MAX_TOOLS * 2
ADD_TEXT_MAX_LENGTH = 1000


class DecisionForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH,
        min_length=8,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Give your post a title."},
    )
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        min_length=30,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown: **bold**, _italic_, `code`, lists, links and code blocks.",
        error_messages={
            "required": "Write the body of your post; a few sentences of context help most.",
        },
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == DecisionKind.ADVICE:
            self.fields["title"].label = "Your question"
            self.fields["title"].widget.attrs["placeholder"] = (
                "For example: Flask or Django for a small JSON API?"
            )
            self.fields["body"].label = "Context"
            self.fields["body"].widget.attrs["placeholder"] = (
                "What are you building, what matters most, what have you tried?"
            )
        else:
            self.fields["title"].label = "Title"
            self.fields["title"].widget.attrs["placeholder"] = (
                "For example: Why we moved our queue from RabbitMQ to Kafka"
            )
            self.fields["body"].label = "Why"
            self.fields["body"].widget.attrs["placeholder"] = (
                "What you needed, what you compared, why the winner won."
            )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write something before posting your comment."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Write something before posting your comment.")
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label="Anything a moderator should know",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def roles_for(kind: str) -> list[ToolRole]:
    """The picker's lists: advice only weighs tools, a decision also names the winners."""
    if kind == DecisionKind.ADVICE:
        return [ToolRole.CONSIDERED]
    return [ToolRole.CHOSEN, ToolRole.CONSIDERED]


@dataclass
class ToolPicker:
    """The tools of a post being written: chosen and considered, in order.

    Built from the submitted form (slugs of tools already picked, what was
    typed into each list's tool picker, the suggestion picked there and the
    remove button pressed), with one query for all of it. Works the same with
    and without JavaScript.
    """

    kind: str
    picked: dict[str, list[Tool]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)
    # The list whose tools were just picked or removed: its picker gets the
    # focus back when the form returns.
    focus: str = ""

    def __post_init__(self) -> None:
        for role in roles_for(self.kind):
            self.picked.setdefault(role, [])
            self.errors.setdefault(role, [])
            self.typed.setdefault(role, "")

    @property
    def roles(self) -> list[ToolRole]:
        return roles_for(self.kind)

    @property
    def chosen(self) -> list[Tool]:
        return self.picked.get(ToolRole.CHOSEN, [])

    @property
    def considered(self) -> list[Tool]:
        return self.picked.get(ToolRole.CONSIDERED, [])

    @property
    def all_tools(self) -> list[Tool]:
        return [tool for role in self.roles for tool in self.picked[role]]

    @property
    def has_errors(self) -> bool:
        return any(self.errors.values())

    def sections(self) -> list[dict[str, object]]:
        """What the template needs per list, in display order."""
        labels = {
            ToolRole.CHOSEN: ("What you chose", "The tools you went with."),
            ToolRole.CONSIDERED: (
                "Tools you are weighing"
                if self.kind == DecisionKind.ADVICE
                else "What else you considered",
                "Up to ten tools in all."
                if self.kind == DecisionKind.ADVICE
                else "The alternatives you compared, if any.",
            ),
        }
        return [
            {
                "role": role,
                "label": labels[role][0],
                "help": labels[role][1],
                "tools": self.picked[role],
                "errors": self.errors[role],
                "typed": self.typed[role],
                # The shared tool picker's field names in this form: what is
                # typed, and the slug of the suggestion picked.
                "add_name": f"{role}_add",
                "pick_name": f"{role}_pick",
                "add_label": f"Add a tool to “{labels[role][0]}”",
                "has_focus": role == self.focus,
            }
            for role in self.roles
        ]

    @classmethod
    def for_decision(cls, decision: Decision) -> ToolPicker:
        picker = cls(kind=decision.kind)
        for tag in decision.tool_tags.select_related("tool").order_by("position", "id"):
            role = tag.role if tag.role in picker.picked else ToolRole.CONSIDERED
            picker.picked[role].append(tag.tool)
        return picker

    @classmethod
    def from_slugs(
        cls, *, chosen: list[str], considered: list[str], kind: str
    ) -> ToolPicker:
        """Prefilled from the address: ``?chosen=postgresql`` from a tool's
        "share a decision", ``?tool=flask&tool=rust`` (considered) from a
        stackup. A request for advice chooses nothing, so there every tool
        is considered."""
        picker = cls(kind=kind)
        if ToolRole.CHOSEN not in picker.picked:
            chosen, considered = [], [*chosen, *considered]
        wanted = {
            ToolRole.CHOSEN: [s.strip().lower() for s in chosen if s.strip()],
            ToolRole.CONSIDERED: [s.strip().lower() for s in considered if s.strip()],
        }
        slugs = list(
            dict.fromkeys([*wanted[ToolRole.CHOSEN], *wanted[ToolRole.CONSIDERED]])
        )
        if not slugs:
            return picker
        found = {
            t.slug: t
            for t in Tool.objects.approved().filter(slug__in=slugs[:MAX_TOOLS])
        }
        placed: set[str] = set()
        for role, role_slugs in wanted.items():
            for slug in role_slugs:
                if slug in found and slug not in placed:
                    placed.add(slug)
                    picker.picked[role].append(found[slug])
        return picker

    @classmethod
    def from_data(cls, data: QueryDict, *, kind: str) -> ToolPicker:
        picker = cls(kind=kind)
        roles = picker.roles
        listed = {
            role: [v.strip().lower() for v in data.getlist(role)] for role in roles
        }
        typed: dict[str, str] = {role: data.get(f"{role}_add", "") for role in roles}
        # A suggestion picked in a list's tool picker (one at a time).
        picks: dict[str, str] = {role: data.get(f"{role}_pick", "") for role in roles}
        pick_role: str = next((role for role in roles if picks[role]), "")
        pick_slug = picks.get(pick_role, "")
        remove_role, _, remove_slug = data.get("drop_tool", "").partition(":")
        if pick_role or remove_role in roles:
            picker.focus = pick_role or remove_role

        submitted = sum(len(values) for values in listed.values())
        if submitted > MAX_SUBMITTED_TOOLS:
            picker.errors[roles[0]].append(
                f"That is {submitted} tools; a post tags at most {MAX_TOOLS}."
            )
            listed = {role: values[:MAX_TOOLS] for role, values in listed.items()}

        if pick_role in typed:
            # The suggestion picked replaces what was typed to find it.
            typed[pick_role] = ""
        names: dict[str, list[str]] = {}
        for role, text in typed.items():
            if len(text) > ADD_TEXT_MAX_LENGTH:
                picker.errors[role].append(
                    "That is too much to look up at once; add a few tools at a time."
                )
                picker.typed[role] = text[:ADD_TEXT_MAX_LENGTH]
                names[role] = []
                continue
            names[role] = [name.strip() for name in text.split(",") if name.strip()]
            if len(names[role]) > MAX_TOOLS:
                picker.errors[role].append(
                    f"That is {len(names[role])} tools; a post tags at most {MAX_TOOLS}."
                )
                picker.typed[role] = text
                names[role] = []
        slugs = {v for values in listed.values() for v in values if v}
        if pick_role in roles and pick_slug:
            slugs.add(pick_slug.lower())
        typed_names = [name for values in names.values() for name in values]
        slugs |= {slugify(name) for name in typed_names}
        match = Q(slug__in=slugs)
        for name in typed_names:
            match |= Q(name__iexact=name)
        found = (
            list(Tool.objects.approved().filter(match)) if slugs or typed_names else []
        )
        by_slug = {tool.slug: tool for tool in found}
        by_name = {tool.name.lower(): tool for tool in found}

        seen: set[int] = set()
        for role in roles:
            for slug in listed[role]:
                tool = by_slug.get(slug)
                if tool is None:
                    if slug:
                        picker.errors[role].append(
                            f"“{slug[:40]}” is not in the catalog any more; it was left out."
                        )
                    continue
                if tool.pk not in seen:
                    picker.picked[role].append(tool)
                    seen.add(tool.pk)

        def add(role: str, tool: Tool) -> None:
            for other in roles:
                picker.picked[other] = [
                    t for t in picker.picked[other] if t.pk != tool.pk
                ]
            picker.picked[role].append(tool)

        for role in roles:
            unknown = []
            for name in names[role]:
                tool = by_name.get(name.lower()) or by_slug.get(slugify(name))
                if tool is None:
                    unknown.append(name)
                else:
                    add(role, tool)
            if unknown:
                picker.typed[role] = ", ".join(unknown)
                picker.errors[role].append(
                    "Not in the catalog: "
                    + ", ".join(f"“{name[:40]}”" for name in unknown)
                    + ". Pick a suggestion, check the spelling, or submit the tool first."
                )
        if pick_role in roles and pick_slug.lower() in by_slug:
            add(pick_role, by_slug[pick_slug.lower()])
        if remove_role in roles:
            picker.picked[remove_role] = [
                t for t in picker.picked[remove_role] if t.slug != remove_slug.lower()
            ]
        return picker

    def validate(self) -> bool:
        """Count rules for publishing; adds messages and returns whether all is well."""
        total = len(self.all_tools)
        first = self.roles[0]
        if total == 0:
            self.errors[first].append(
                "Tag at least one tool, so readers of its page find your post."
            )
        elif total > MAX_TOOLS:
            self.errors[first].append(
                f"Tag at most {MAX_TOOLS} tools; you have {total}. Keep the ones that matter."
            )
        if self.kind == DecisionKind.DECIDED and total and not self.chosen:
            self.errors[ToolRole.CHOSEN].append("Name at least one tool you chose.")
        for role in self.roles:
            if self.typed[role] and not self.errors[role]:
                self.errors[role].append("Add or clear what you typed here first.")
        return not self.has_errors
