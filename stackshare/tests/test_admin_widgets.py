from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from stackshare.admin_widgets import SafeAutocompleteAdmin
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
def test_a_word_for_an_id_in_an_admin_form_gets_the_form_error(client, staff, value):
    """The change form comes back with its error instead of a 500."""
    procon = make_procon(tool=make_tool(name="Flask"), text="Small")
    client.force_login(staff)
    response = client.post(
        reverse("admin:tools_procon_change", args=[procon.pk]),
        {"tool": value, "author": value, "kind": "pro", "text": "Small"},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    procon.refresh_from_db()
    assert procon.tool.name == "Flask"
