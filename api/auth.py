"""Who is calling: a bearer token, checked against the database each time.

Nothing about a token is cached, so a revoked or expired token fails on
every server at once.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from accounts.models import User
from api.models import TOKEN_PREFIX, AccessToken, Scope, hash_token
from api.services import note_token_used


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, AccessToken] | None:
        header = authentication.get_authorization_header(request).decode(
            "latin-1", errors="replace"
        )
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() not in {"bearer", "token"} or not secret.strip():
            raise exceptions.AuthenticationFailed(
                "Send the token as “Authorization: Bearer <token>”."
            )
        secret = secret.strip()
        token = None
        if secret.startswith(TOKEN_PREFIX) and len(secret) < 200:
            token = (
                AccessToken.objects.live()
                .select_related("user", "company")
                .filter(token_hash=hash_token(secret))
                .first()
            )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "This token is unknown, revoked or expired."
            )
        note_token_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class HasScope(permissions.BasePermission):
    """Writes need a token with the view's ``required_scope`` and a member who may write.

    Reads are open to all; a token sent with a read must still be valid.
    """

    message = "This token lacks the scope this needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        if not isinstance(token, AccessToken):
            raise exceptions.NotAuthenticated(
                "Changes need an access token (Authorization: Bearer <token>)."
            )
        scope = getattr(view, "required_scope", Scope.READ)
        if not token.allows(scope):
            raise exceptions.PermissionDenied(f"This token lacks the “{scope}” scope.")
        if not (isinstance(request.user, User) and request.user.can_write):
            raise exceptions.PermissionDenied(
                "This account is suspended, so it cannot make changes."
            )
        return True
