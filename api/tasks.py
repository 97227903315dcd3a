"""Background work of the api app, for Django's tasks framework."""

from __future__ import annotations

from django.tasks import task

from api.opendata import write_open_data


@task
def export_open_data() -> str:
    """Write a new open data dump; enqueue it from a scheduler (daily is plenty)."""
    return write_open_data().name
