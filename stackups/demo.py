"""Demo comparisons: the stackups readers of the demo site have opened."""

from __future__ import annotations

from io import TextIOBase

from stackups.models import Stackup
from stackups.services import UnknownStackupError, resolve, stackup_for

# Comparisons readers of the demo site have "opened", with their view counts.
DEMO_STACKUPS = {
    "flask-vs-rust": 1840,
    "django-vs-flask": 3920,
    "django-vs-fastapi-vs-flask": 2210,
    "golang-vs-rust": 3105,
    "golang-vs-nodejs": 1460,
    "laravel-vs-rails": 760,
    "mysql-vs-postgresql": 4380,
    "mongodb-vs-postgresql": 2650,
    "memcached-vs-redis": 990,
    "angular-vs-react-vs-vuejs": 3570,
    "react-vs-vuejs": 2890,
    "docker-vs-podman": 640,
    "kubernetes-vs-nomad": 520,
    "github-actions-vs-gitlab-ci-vs-jenkins": 1310,
    "opentofu-vs-terraform": 870,
    "bootstrap-vs-material-ui-vs-tailwind-css": 1190,
    "flyway-vs-liquibase": 450,
    "javascript-vs-typescript": 1720,
    "php-vs-python-vs-ruby": 680,
    "expressjs-vs-fastify-vs-nestjs": 930,
}


def seed_stackups_demo(*, stdout: TextIOBase, dry_run: bool = False) -> None:
    """Create the demo comparisons with their view counts (idempotent)."""
    opened = 0
    for address, views in DEMO_STACKUPS.items():
        try:
            stackup = stackup_for(resolve(address))
        except UnknownStackupError:  # a demo pair whose tool left the catalog
            continue
        if stackup.view_count < views:
            Stackup.objects.filter(pk=stackup.pk).update(view_count=views)
            opened += 1
    verb = "Would open" if dry_run else "Opened"
    stdout.write(f"{verb} {opened} demo stackups.")
