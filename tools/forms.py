"""Forms of the catalog: pros and cons, tool submissions."""

from __future__ import annotations

from typing import Any

from django import forms

from tools.models import PROCON_MAX_LENGTH, Category, ProConKind, Tool


class ProConForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ProConKind.choices, widget=forms.RadioSelect, initial=ProConKind.PRO
    )
    text = forms.CharField(
        label="Your point",
        max_length=PROCON_MAX_LENGTH,
        min_length=3,
        widget=forms.TextInput(
            attrs={"placeholder": "For example: great documentation"}
        ),
        help_text=f"One short statement, up to {PROCON_MAX_LENGTH} characters.",
    )

    def clean_text(self) -> str:
        return " ".join(self.cleaned_data["text"].split())


class ToolSubmissionForm(forms.ModelForm[Tool]):
    """A member proposes a tool the catalog is missing."""

    function = forms.ModelChoiceField(
        queryset=Category.objects.functions()
        .select_related("parent__parent")
        .order_by("name"),
        help_text="Where it mainly belongs, for example “Microframeworks”.",
    )

    class Meta:
        model = Tool
        fields = [
            "name",
            "website",
            "repository_url",
            "function",
            "tagline",
            "description",
        ]
        help_texts = {
            "website": "The tool's own site.",
            "repository_url": "Where its source lives, if it is open source.",
            "tagline": "One line on what it is, in your words.",
            "description": "A few sentences; Markdown is fine.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].required = True
        self.fields["tagline"].required = True
        self.fields["function"].label_from_instance = lambda node: node.path  # type: ignore[attr-defined]  # a ModelChoiceField; form.fields is typed as plain Field
