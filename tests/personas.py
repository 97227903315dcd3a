"""Requests to the site as each persona, every one rolled back."""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.hostile_input import Body

PERSONAS = ["anonymous", "member", "moderator"]


# --- Requests ------------------------------------------------------------------


class RolledBackError(Exception):
    """Raised to undo a request's writes, so every example sees the same data."""


@dataclass
class Personas:
    clients: dict[str, Client]
    sessions: dict[str, str]

    def request(
        self,
        persona: str,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        client = self.clients[persona]
        # A fresh jar each time: a logout or a message cookie from one
        # example must not change who makes the next one.
        client.cookies = SimpleCookie()
        if persona in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        body = body or Body()
        for value in (body.fields or {}).values():
            for file in value if isinstance(value, list) else [value]:
                if hasattr(file, "seek"):
                    file.seek(0)  # an example may be sent again while shrinking
        kwargs: dict[str, Any] = {"headers": headers or {}}
        if method == "POST" and body.fields is not None:
            kwargs["data"] = body.fields
        elif body.raw:
            kwargs["data"] = body.raw.encode()
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        response = None
        try:
            with transaction.atomic():
                if method == "POST":
                    response = client.post(path, **kwargs)
                elif method == "HEAD":
                    response = client.head(path, headers=kwargs["headers"])
                elif method == "GET":
                    response = client.get(path, headers=kwargs["headers"])
                else:
                    response = client.generic(
                        method, path, body.raw.encode(), headers=kwargs["headers"]
                    )
                raise RolledBackError
        except RolledBackError:
            pass
        return response
