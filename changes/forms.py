from __future__ import annotations

from typing import Any

from django import forms

from changes.models import REASON_MAX_LENGTH, Ring
from tools.models import Tool


class DecisionMigrationForm(forms.Form):
    """Which of a decision's tools it moved away from, and to which."""

    from_tools = forms.ModelMultipleChoiceField(
        queryset=Tool.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Moving from",
        help_text="The tools the team replaced.",
    )
    to_tools = forms.ModelMultipleChoiceField(
        queryset=Tool.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Moving to",
        help_text="The tools that replaced them. Leave both empty to unmark.",
    )

    def __init__(self, *args: Any, tools: list[Tool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Tool.objects.filter(pk__in=[tool.pk for tool in tools]).order_by(
            "name"
        )
        self.fields["from_tools"].queryset = choices  # type: ignore[attr-defined]
        self.fields["to_tools"].queryset = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        old, new = set(data.get("from_tools") or []), set(data.get("to_tools") or [])
        if bool(old) != bool(new):
            raise forms.ValidationError(
                "Pick at least one tool on each side, or none to unmark."
            )
        if old and old == new:
            raise forms.ValidationError("A tool cannot replace itself.")
        return data


class RingForm(forms.Form):
    """Put one stack entry in a ring of the company's radar."""

    ring = forms.ChoiceField(choices=Ring.choices)
    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text="Why, in a line: what the team learned or is waiting for.",
    )
