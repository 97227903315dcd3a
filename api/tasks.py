"""Background work of the api app, for Django's tasks framework."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import TaskResultStatus, task
from django.utils import timezone

from api.opendata import write_open_data

# How often the open data dump is written: daily is plenty for a dump.
EXPORT_EVERY = timedelta(days=1)


@task
def export_open_data() -> str:
    """Write a new open data dump, then queue the next one (``schedule_export``)."""
    name = write_open_data().name
    schedule_export()
    return name


def schedule_export(*, delay: timedelta = EXPORT_EVERY) -> bool:
    """Queue the next dump ``delay`` from now, unless one is queued already.

    The queued task queues the one after it, so once started (``manage.py
    export_open_data --schedule``, run at each deploy) the dump is written
    daily for as long as a worker (``db_worker``) runs, with no cron. Only
    the database queue can hold a task for later and be asked what it holds;
    with another back end this returns False and a scheduler of one's own
    enqueues ``export_open_data``.
    """
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = export_open_data.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    queued = DBTaskResult.objects.filter(
        task_path=export_open_data.module_path, status=TaskResultStatus.READY
    )
    if not queued.exists():
        export_open_data.using(run_after=timezone.now() + delay).enqueue()
    return True
