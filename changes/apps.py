from __future__ import annotations

from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "Change over time"

    def ready(self) -> None:
        from changes import receivers  # noqa: F401 - connects the signal receivers
