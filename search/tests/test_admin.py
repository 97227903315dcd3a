"""The back office's demand page: searches that found nothing, beside the
packages scans could not match."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import make_member, sign_in_with_mfa
from search.services import record_zero_result
from stacks.tests.factories import make_stack
from tools.services import record_unknown_packages

pytestmark = pytest.mark.django_db


def test_zero_result_queries_are_shown_next_to_the_most_wanted_packages():
    """Moderators read what people searched for in vain and, beside it, the
    unmatched packages most stacks use, most wanted first."""
    moderator = sign_in_with_mfa(Client(), make_member(username="mod", moderator=True))
    for _ in range(3):
        record_zero_result(query="ratatui")
    record_unknown_packages([("pypi", "rare-package")], stack=make_stack())
    for _ in range(2):
        record_unknown_packages([("cargo", "ratatui")], stack=make_stack())
    page = moderator.get(reverse("admin:search_zeroresultquery_changelist"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Most wanted unknown packages" in text
    assert text.index("cargo:ratatui") < text.index("pypi:rare-package")
    assert "2 stacks, 2 scans" in text
    assert reverse("admin:tools_unknownpackage_changelist") in text
