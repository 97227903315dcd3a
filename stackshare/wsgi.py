"""WSGI entry point, used by gunicorn in production (`make serve`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stackshare.settings")

application = get_wsgi_application()
