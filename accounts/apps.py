from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    # allauth's own app is "Accounts" in the back office too.
    verbose_name = "Members and moderation"

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401 - connects the signal receivers
