from __future__ import annotations

from django.apps import AppConfig


class AssistantConfig(AppConfig):
    """The Model Context Protocol server: the catalog asked from an AI assistant."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "assistant"
    verbose_name = "AI assistant server"
