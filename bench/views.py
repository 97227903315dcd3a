"""The benchmark's baseline: the same server answering without the database."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def baseline(request: HttpRequest) -> HttpResponse:
    """A trivial template, no query: what every page's throughput is compared to.

    Routed only where the bench app is installed (``DJANGO_BENCH=1``, which
    ``make bench`` sets); in production the address is a plain 404.
    """
    return render(request, "bench/baseline.html", {"title": "Baseline"})
