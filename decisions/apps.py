from __future__ import annotations

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions and advice"

    def ready(self) -> None:
        from decisions import receivers  # noqa: F401 - connects the signal receivers
