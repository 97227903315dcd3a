from __future__ import annotations

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark infrastructure: synthetic data at scale and the baseline page."""

    name = "bench"
    verbose_name = "Benchmark"
