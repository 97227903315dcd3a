from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from changes.models import (
    REASON_MAX_LENGTH,
    RECORD_TEXT_MAX_LENGTH,
    Outcome,
    RecordStatus,
)
from decisions.models import Decision
from stacks.models import Ring
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
        self.fields["from_tools"].queryset = choices  # type: ignore[attr-defined]  # a ModelChoiceField; form.fields is typed as plain Field
        self.fields["to_tools"].queryset = choices  # type: ignore[attr-defined]  # a ModelChoiceField; form.fields is typed as plain Field

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


class DecisionRecordForm(forms.Form):
    """The ADR parts of a decision."""

    status = forms.ChoiceField(
        choices=[c for c in RecordStatus.choices if c[0] != RecordStatus.SUPERSEDED],
        help_text="Naming a successor below marks it superseded.",
    )
    context = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RECORD_TEXT_MAX_LENGTH,
        required=False,
        help_text="The forces at play: what made a decision necessary.",
    )
    consequences = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RECORD_TEXT_MAX_LENGTH,
        required=False,
        help_text="What becomes easier or harder because of it.",
    )
    revisit_on = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Revisit on",
        help_text="You and your company's editors are asked for the outcome on this day.",
    )
    superseded_by = forms.ModelChoiceField(
        queryset=Decision.objects.none(),
        required=False,
        label="Superseded by",
        help_text="A later decision of yours or your company's that replaces this one.",
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        later = Decision.objects.visible().exclude(pk=decision.pk)
        same_source = Q(author_id=decision.author_id)
        if decision.company_id:
            same_source |= Q(company_id=decision.company_id)
        self.fields["superseded_by"].queryset = later.filter(same_source).order_by(  # type: ignore[attr-defined]  # a ModelChoiceField; form.fields is typed as plain Field
            "-created_at"
        )


class OutcomeForm(forms.Form):
    """How a decision turned out."""

    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=RECORD_TEXT_MAX_LENGTH,
        label="What happened",
        help_text="What went well, what did not, what you would do again.",
    )
