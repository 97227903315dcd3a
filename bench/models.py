"""The marker a bench database carries, so bench data is told from real data."""

from __future__ import annotations

from django.db import models


class BenchDataset(models.Model):
    """What ``generate_bench_data`` wrote into this database, and from which code.

    The command refuses to touch a database holding catalog or member rows
    but no such row, and skips regenerating when scale, seed and the
    generators' code hash are unchanged.
    """

    scale = models.FloatField()
    seed = models.PositiveIntegerField()
    code_hash = models.CharField(max_length=64)
    generated_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long the generation took.")
    counts = models.JSONField(default=dict, help_text="Rows written, per kind.")

    class Meta:
        verbose_name = "bench dataset"

    def __str__(self) -> str:
        return f"bench data at scale {self.scale:g} (seed {self.seed})"
