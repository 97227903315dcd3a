from __future__ import annotations

from django.apps import AppConfig


class StackshareConfig(AppConfig):
    """The project itself: what spans the apps (the demo data command, the
    page cache, the template tags every app's templates load)."""

    name = "stackshare"
    verbose_name = "stackshare"
