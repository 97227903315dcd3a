"""The benchmark's baseline: the same server answering without the database."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def baseline(request: HttpRequest) -> HttpResponse:
    """A trivial template, no query: what every page's throughput is compared to.

    Answers only when ``BENCH_BASELINE`` is on (``make bench`` turns it on);
    everywhere else the address is a plain 404.
    """
    if not settings.BENCH_BASELINE:
        raise Http404("Not found.")
    return render(request, "bench/baseline.html", {"title": "Baseline"})
