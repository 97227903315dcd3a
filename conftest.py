"""Persona fixtures and test-wide settings shared by every app's tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation

from accounts.tests.factories import make_member

_create_postgres_test_db = PostgresCreation._create_test_db  # type: ignore[attr-defined]  # private to Django, not in django-stubs


def _create_test_db_then_leave_the_pool(self, *args, **kwargs):
    """Create the test database, then close the connection pool.

    Django's creation connects to the maintenance database through a
    connection of the same alias, whose pool then keeps handing out
    connections to that database: the tests would run there, and parallel
    workers in one shared database. Closed, the pool reopens on the test
    database.
    """
    name = _create_postgres_test_db(self, *args, **kwargs)
    self.connection.close_pool()
    return name


PostgresCreation._create_test_db = _create_test_db_then_leave_the_pool  # type: ignore[attr-defined]  # as above


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Serve static files unhashed, keep uploads in a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run at once in tests; the database queue is the worker's business.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
    # Query budgets are about a page's real work: whole-page caching for
    # anonymous readers is off, except in the tests of the cache itself.
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits, cached pages and counted views stay in their test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return make_member(username="ada", display_name="Ada Lovelace")


@pytest.fixture
def other_member(db):
    return make_member(username="grace", display_name="Grace Hopper")


@pytest.fixture
def moderator(db):
    return make_member(username="mod", moderator=True)


@pytest.fixture
def staff(db):
    return make_member(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def query_plan(db):
    """PostgreSQL's plan of a queryset, with what it must not fall back on
    turned off (``enable_seqscan=off``): so a plan names an index only if the
    index serves the SQL Django writes. Skips on SQLite."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan")

    def plan(queryset, *, disabled=("seqscan",)):
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in disabled:
                cursor.execute(f"SET LOCAL enable_{setting} = off")
            return queryset.explain()

    return plan


@pytest.fixture
def at_once():
    """Runs writes in threads released at the same instant, each on its own
    connection, as requests racing each other would; returns what they
    raised. For tests marked ``django_db(transaction=True)``, whose rows the
    threads can see. Skips on SQLite, which serialises writers."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")

    def run(*writes: Callable[[], object]) -> list[Exception]:
        barrier = threading.Barrier(len(writes))
        failures: list[Exception] = []

        def write_once(write: Callable[[], object]) -> None:
            barrier.wait()
            try:
                write()
            except Exception as error:
                failures.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=write_once, args=(w,)) for w in writes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return failures

    return run
