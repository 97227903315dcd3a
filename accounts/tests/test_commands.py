from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    """A second run creates nothing new and the demo logins work."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    count = User.objects.count()
    assert count >= 10
    assert "Staff login: admin / admin-demo-123" in out.getvalue()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == count
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.check_password("admin-demo-123")
    assert (
        User.objects.get(username="moderator").groups.filter(name="Moderators").exists()
    )


@pytest.mark.django_db
def test_seed_demo_dry_run_changes_nothing():
    out = StringIO()
    call_command("seed_demo", "--dry-run", stdout=out)
    assert User.objects.count() == 0
    assert "Would create" in out.getvalue()
