"""Persona fixtures and test-wide settings shared by every app's tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts.tests.factories import make_member
from stackups import views_buffer


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
    """Rate limits, cached pages and buffered stackup views stay in their test."""
    cache.clear()
    views_buffer.discard()
    yield
    cache.clear()
    views_buffer.discard()


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
