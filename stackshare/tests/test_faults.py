"""Degrade, never fail: real Redis and PostgreSQL servers stopped under requests.

Redis: the site's cache and sessions on a throw-away redis-server
(``redis_settings``), killed while pages, a signed-in page and a
rate-limited write are served, then started again.

PostgreSQL: a second throw-away cluster (the test session's own must keep
running) behind a gunicorn started with the production settings; the
cluster is stopped for a few seconds while requests keep coming.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import resolve, reverse
from psycopg_pool import PoolTimeout

from decisions.models import Comment
from decisions.tests.factories import make_decision
from stackshare.outages import server_error
from stackshare.tests.conftest import require_binary
from tools.tests.factories import make_category, make_tool

ROOT = Path(django_settings.BASE_DIR)


def wait_until(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {seconds} s")
        time.sleep(0.1)


# The 503 page ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
        PoolTimeout("couldn't get a connection after 2.00 sec"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_view_that_loses_the_database_answers_503(client, error):
    resolve("/")  # the URLs' modules build querysets as they load: load them first
    with mock.patch("tools.models.ToolQuerySet.approved", side_effect=error):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "back in a moment" in content
    assert "site-header" in content  # the site's look, without the database


def test_an_outage_raised_outside_a_view_answers_503_too(rf):
    """handler500 sees errors from middleware, such as a session saved after
    the view."""
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"


@pytest.mark.django_db
def test_a_write_whose_session_cannot_be_read_answers_503(member_client):
    """The write gate reads the member before any view runs; a database
    outage there reaches handler500, which answers 503 too."""
    member_client.raise_request_exception = False
    decision = make_decision()
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore._get_session_from_db",
        side_effect=OperationalError("the database system is starting up"),
    ):
        response = member_client.post(
            reverse("decisions:upvote", args=[decision.pk]), {"state": "on"}
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "back in a moment" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_are_still_500s(client):
    client.raise_request_exception = False
    with mock.patch(
        "tools.models.ToolQuerySet.approved", side_effect=RuntimeError("a bug")
    ):
        response = client.get("/")
    assert response.status_code == 500
    assert "went wrong" in response.content.decode().lower()


# Redis -------------------------------------------------------------------------


def page_keys(redis_server) -> list[bytes]:
    return list(redis_server.client().keys("*:page:*"))


@pytest.mark.django_db
def test_redis_going_away_costs_no_error_and_it_is_used_again_on_return(
    redis_settings, redis_server, member, django_assert_num_queries
):
    redis_settings.RATE_LIMITS = {"comment": (2, 600)}
    tool = make_tool(name="Flask", function=make_category(name="Microframeworks"))
    decision = make_decision()
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(member)
    pages = [tool.get_absolute_url(), tool.function.get_absolute_url(), "/"]

    for url in pages:
        assert anonymous.get(url).status_code == 200
    assert len(page_keys(redis_server)) == len(pages)
    with django_assert_num_queries(0):
        assert anonymous.get(tool.get_absolute_url()).status_code == 200

    redis_server.kill()
    started = time.monotonic()
    statuses = [anonymous.get(url).status_code for url in pages * 3]
    mine = signed_in.get(tool.get_absolute_url())  # session from the database
    comment_url = reverse("decisions:comment", args=[decision.pk])
    writes = [
        signed_in.post(comment_url, {"body": f"note {n}"}).status_code for n in range(3)
    ]
    health = anonymous.get(reverse("healthz"))
    during = time.monotonic() - started

    assert statuses == [200] * len(statuses)
    assert mine.status_code == 200
    assert member.display_name in mine.content.decode()
    assert writes == [302, 302, 429]  # the limit still applies
    assert Comment.objects.count() == 2
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
    }
    assert during < 5  # nothing waited on the dead server

    redis_server.start()
    wait_until(
        lambda: anonymous.get(reverse("healthz")).json()["status"] == "ok",
        seconds=5,
        what="healthz reporting the cache back",
    )
    time.sleep(0.4)  # past RETRY_SECONDS, so the next request probes Redis
    assert anonymous.get(tool.get_absolute_url()).status_code == 200
    assert page_keys(redis_server)  # cached in Redis again
    with django_assert_num_queries(0):
        assert anonymous.get(tool.get_absolute_url()).status_code == 200


# PostgreSQL --------------------------------------------------------------------


def load_with_postgres():
    spec = importlib.util.spec_from_file_location(
        "with_postgres", ROOT / "scripts" / "with_postgres.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Answer:
    status: int
    seconds: float
    retry_after: str | None
    body: str


@dataclass
class Site:
    """gunicorn with the production settings, on its own PostgreSQL cluster."""

    url: str
    cluster: Path
    bindir: Path
    with_postgres: ModuleType

    def log_tail(self) -> str:
        """The server's last lines, for a failure's message."""
        log = self.cluster / "gunicorn.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-40:])

    def get(self, path: str) -> Answer:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(self.url + path, timeout=15) as response:  # noqa: S310
                status, headers, body = (
                    response.status,
                    response.headers,
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        return Answer(
            status,
            time.monotonic() - started,
            headers.get("Retry-After"),
            body.decode(),
        )

    def stop_database(self) -> None:
        self.with_postgres.stop_cluster(self.cluster, bindir=self.bindir, mode="fast")

    def start_database(self) -> None:
        self.with_postgres.start_cluster(self.cluster, bindir=self.bindir)


@pytest.fixture
def postgres_site(db) -> Iterator[Site]:
    """A second cluster holding the test database's schema, and a gunicorn on it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: `make test-postgres` runs it")
    with_postgres = load_with_postgres()
    bindir = with_postgres.find_bindir()
    if bindir is None:
        require_binary("initdb", package="postgresql")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    cluster = Path(tempfile.mkdtemp(prefix="ss-pg-"))
    server = None
    try:
        with_postgres.start_cluster(cluster, bindir=bindir)
        source = connection.settings_dict
        schema = subprocess.run(  # noqa: S603 (our own arguments)
            [
                bindir / "pg_dump", "--schema-only", "--no-owner",
                "-h", source["HOST"], "-U", source["USER"], "-d", source["NAME"],
            ],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        subprocess.run(  # noqa: S603 (our own arguments)
            [
                bindir / "psql", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", str(cluster), "-U", "postgres", "-d", "postgres",
            ],
            input=schema, capture_output=True, check=True,
        )  # fmt: skip
        port = free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "REDIS_", "PAGE_CACHE"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="stackshare.tests.fault_settings",
            DJANGO_SECRET_KEY="fault-test-" + "x" * 50,
            DJANGO_SECURE_SSL_REDIRECT="0",
            DATABASE_URL=with_postgres.database_url(cluster),
            PAGE_CACHE_SECONDS="0",  # every page needs the database
            WEB_CONCURRENCY="2",
        )
        log = (cluster / "gunicorn.log").open("wb")
        server = subprocess.Popen(  # noqa: S603 (our own arguments)
            [
                gunicorn, "stackshare.wsgi", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        site = Site(f"http://127.0.0.1:{port}", cluster, bindir, with_postgres)

        def serving() -> bool:
            try:
                return site.get("/healthz").status == 200
            except OSError:
                return False

        wait_until(serving, seconds=60, what="gunicorn serving")
        yield site
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        with_postgres.stop_cluster(cluster, bindir=bindir, mode="immediate")
        shutil.rmtree(cluster, ignore_errors=True)


def test_a_database_outage_answers_503_quickly_and_recovers(postgres_site):
    site = postgres_site
    assert site.get("/").status == 200, site.log_tail()
    assert site.get("/tools/").status == 200, site.log_tail()

    site.stop_database()
    stopped = time.monotonic()
    pages: list[Answer] = []
    health: list[Answer] = []
    while time.monotonic() - stopped < 5:
        pages.append(site.get("/tools/"))
        health.append(site.get("/healthz"))
    site.start_database()
    restarted = time.monotonic()
    wait_until(
        lambda: site.get("/tools/").status == 200, seconds=10, what="pages again"
    )
    recovered = time.monotonic() - restarted
    print(  # noqa: T201 (the figures the README quotes; shown with -s)
        f"\nPostgreSQL stopped 5 s: {len(pages)} page requests, "
        f"slowest {max(a.seconds for a in pages):.2f} s; "
        f"healthz slowest {max(a.seconds for a in health):.2f} s; "
        f"pages back {recovered:.2f} s after the restart"
    )

    assert {a.status for a in pages} == {503}
    assert all(a.retry_after for a in pages)
    assert "back in a moment" in pages[0].body
    # The pool's wait (DATABASE_WAIT_SECONDS, 2 s) bounds every request.
    assert max(a.seconds for a in pages) < 3
    assert {a.status for a in health} == {503}
    assert json.loads(health[0].body)["database"] == "unavailable"
    assert max(a.seconds for a in health) < 1
    assert site.get("/healthz").status == 200
    assert recovered < 5
