"""The bench app's tests need it installed: DJANGO_BENCH=1 (``make test`` sets it)."""

from __future__ import annotations

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    if settings.BENCH:
        return
    skip = pytest.mark.skip(
        reason="the bench app is installed only with DJANGO_BENCH=1"
    )
    here = str(config.rootpath / "bench")
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(skip)
