"""Work a fresh web process would otherwise do on its first requests.

gunicorn imports the app in its master and forks the workers from it
(``preload_app``). Compiling the templates and building the URL map there,
once, means a new or recycled worker inherits them and answers its first
requests as fast as any other, instead of stalling the requests queued
behind it (``make bench`` saw those stalls as p99 spikes).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver


def warm_up() -> list[str]:
    """Build the URL map and compile the project's own templates (a broken one
    stops the server from starting); returns the names compiled."""
    get_resolver().reverse_dict  # noqa: B018 - builds and caches the URL map
    names = [
        str(path.relative_to(folder))
        for folder in project_template_dirs()
        for path in sorted(folder.rglob("*.html"))
    ]
    for name in names:
        get_template(name)
    return names


def project_template_dirs() -> list[Path]:
    """``templates/`` and the templates of the project's apps (not of packages)."""
    packages = settings.BASE_DIR / ".venv"
    apps_dirs = [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(packages)
    ]
    return [
        folder
        for folder in [settings.BASE_DIR / "templates", *apps_dirs]
        if folder.is_dir()
    ]
