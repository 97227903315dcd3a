"""The back office's autocomplete widget, without its 500 on hostile input.

Three apps' admins use it (:class:`SafeAutocompleteAdmin`), so it lives in
the project package, next to the other cross-app pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest


def is_valid_id(field: models.Field[Any, Any], value: object) -> bool:
    """Whether ``value`` can be looked up in ``field`` without the database
    refusing it: it converts, and an integer fits in 64 bits."""
    try:
        converted = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(converted, int) or -(2**63) <= converted < 2**63


class SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete select, minus its 500 on a refused form.

    When a form is shown again with its errors, Django's widget looks the
    posted value up as it is, so a value that is no id (``abc``) raises
    ValueError. Values that cannot be ids are left out here; the form's
    own error still says the choice is not valid.
    """

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[Any]:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        kept = [item for item in value if is_valid_id(target, item)]
        return super().optgroups(name, kept, attr)


class SafeAutocompleteAdmin:
    """ModelAdmin and inline mixin: ``autocomplete_fields`` foreign keys use
    :class:`SafeAutocompleteSelect`."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        autocompleted = db_field.name in self.get_autocomplete_fields(request)  # type: ignore[attr-defined]  # a mixin for ModelAdmin, which has the method
        if autocompleted and "widget" not in kwargs:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]  # a mixin for ModelAdmin, which has the attribute
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]  # a mixin for ModelAdmin, which has the method
