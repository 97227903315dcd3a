"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Expose the site's name and whether GitHub login is configured."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "GITHUB_LOGIN_ENABLED": settings.GITHUB_LOGIN_ENABLED,
    }
