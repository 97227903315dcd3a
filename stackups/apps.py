from __future__ import annotations

from django.apps import AppConfig


class StackupsConfig(AppConfig):
    name = "stackups"
    verbose_name = "Stackups"

    def ready(self) -> None:
        from stackups import receivers  # noqa: F401 - connects the signal receivers
