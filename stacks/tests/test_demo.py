from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from stacks.models import Company, Stack, StackHistory
from stacks.services import recount_tool_stack_counts

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_companies_with_lived_in_stacks_once():
    """At least 30 companies, history over two years, counts exact, rerun is a no-op."""
    call_command("load_catalog", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Company.objects.count() >= 30
    assert Stack.objects.filter(company__isnull=True).exists()
    dates = StackHistory.objects.values_list("created_at", flat=True)
    assert (max(dates) - min(dates)).days > 365
    assert recount_tool_stack_counts() == 0
    counts = (
        Company.objects.count(),
        Stack.objects.count(),
        StackHistory.objects.count(),
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Created 0 demo companies" in out.getvalue()
    assert (
        Company.objects.count(),
        Stack.objects.count(),
        StackHistory.objects.count(),
    ) == counts
