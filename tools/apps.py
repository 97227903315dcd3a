from __future__ import annotations

from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "tools"
    verbose_name = "Tool catalog"

    def ready(self) -> None:
        from tools import receivers  # noqa: F401 - connects the signal receivers
