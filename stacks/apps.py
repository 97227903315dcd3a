from __future__ import annotations

from django.apps import AppConfig


class StacksConfig(AppConfig):
    name = "stacks"
    verbose_name = "Companies and stacks"

    def ready(self) -> None:
        from stacks import receivers  # noqa: F401 - connects the signal receivers
