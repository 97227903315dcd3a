"""HEAD answers like GET at every address of the site, for every persona."""

from __future__ import annotations

import pytest

from tests.hostile_input import encoded
from tests.personas import PERSONAS
from tests.sweep_rows import DataSet, real_value, routes
from tests.urlconf import Route


def real_path(route: Route, data: DataSet) -> str:
    fmt, params = route.template
    return "/" + fmt % {p: encoded(real_value(route, p, data)) for p in params}


# Django's admin login sends signed-in staff on to the index on GET only
# (django.contrib.admin.sites.AdminSite.login); HEAD gets the form.
HEAD_DIFFERS_BY_DESIGN = {("moderator", "/admin/login/")}


@pytest.mark.slow
@pytest.mark.django_db
def test_head_answers_like_get_everywhere(data_set, personas):
    """HEAD gives every address the status GET gives it, with no body, for
    every persona; uptime monitors and link checkers use it."""
    mismatches = []
    for route in routes():
        path = real_path(route, data_set)
        for persona in PERSONAS:
            get = personas.request(persona, "GET", path)
            head = personas.request(persona, "HEAD", path)
            if (persona, path) in HEAD_DIFFERS_BY_DESIGN:
                continue
            if head.status_code != get.status_code or head.content:
                mismatches.append(
                    f"{persona} {path}: GET {get.status_code}, HEAD {head.status_code}"
                )
    assert not mismatches, "\n".join(mismatches)
