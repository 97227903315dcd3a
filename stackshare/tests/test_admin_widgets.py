from __future__ import annotations

import pytest
from django.contrib import admin

from stackshare.admin_widgets import SafeAutocompleteAdmin
from tools.models import ProCon
from tools.tests.factories import make_procon, make_tool


def admins_with_autocomplete():
    for model_admin in admin.site._registry.values():
        inlines = [
            inline(model_admin.model, admin.site) for inline in model_admin.inlines
        ]
        for each in [model_admin, *inlines]:
            if each.autocomplete_fields:
                yield each


def test_every_admin_with_autocomplete_fields_uses_the_safe_widget():
    """A new admin (or inline) with autocomplete fields and without the
    mixin would answer 500 to a refused form holding a word for an id."""
    missing = [
        type(each).__name__
        for each in admins_with_autocomplete()
        if not isinstance(each, SafeAutocompleteAdmin)
    ]
    assert list(admins_with_autocomplete())
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "../", "1.5", "9" * 30])
def test_a_word_for_an_id_in_an_admin_form_shows_the_form_error(rf, staff, value):
    """A refused change form is shown again with its error instead of a
    500. Built the way the admin's change view builds it, so the test
    does not depend on how staff reach the back office."""
    procon = make_procon(tool=make_tool(name="Flask"), text="Small")
    model_admin = admin.site._registry[ProCon]
    request = rf.post("/")
    request.user = staff
    form_class = model_admin.get_form(request, procon, change=True)
    data = {"tool": value, "author": value, "kind": "pro", "text": "Small"}
    form = form_class(data, instance=procon)
    assert not form.is_valid()
    assert "Select a valid choice" in str(form.errors["tool"])
    assert 'name="tool"' in str(form["tool"])  # renders, as the page would
