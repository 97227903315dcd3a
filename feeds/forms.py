from __future__ import annotations

from django import forms

from feeds.models import Reading


class ReadingForm(forms.ModelForm[Reading]):
    class Meta:
        model = Reading
        fields = ["digest"]
        widgets = {"digest": forms.RadioSelect}
