from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from api.models import Scope

EXPIRY_CHOICES = [
    ("", "Never"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What will use it, e.g. “GitHub Actions” or “laptop”."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        help_text="Reading needs no token; a token with only “read” gets its own, higher request limit.",
    )
    expires_in = forms.ChoiceField(
        choices=EXPIRY_CHOICES, required=False, label="Expires"
    )

    def __init__(self, *args: Any, company: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if company:
            self.fields["scopes"].choices = [  # type: ignore[attr-defined]  # a MultipleChoiceField; form.fields is typed as plain Field
                c for c in Scope.choices if c[0] != Scope.DECISIONS_WRITE
            ]
            self.fields["scopes"].initial = [Scope.STACKS_WRITE]

    def expires_at(self) -> datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None
