"""The production settings for the PostgreSQL fault test's gunicorn.

Only static files differ: production serves the hashed names that
`collectstatic` writes, which a test run never collects.
"""

from __future__ import annotations

from stackshare.settings import *  # noqa: F403
from stackshare.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
