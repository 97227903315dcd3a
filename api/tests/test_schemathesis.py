"""Schemathesis against the live schema: every operation, with and without a token.

No server error, and every answer fits the schema (status, content type,
body). Slow: it generates many requests per operation.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import create_token
from decisions.tests.factories import make_comment, make_decision
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_alias, make_tool

application = get_wsgi_application()
document = json.loads(
    json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
)
schema = schemathesis.openapi.from_dict(document)
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def data(member):
    tool = make_tool(name="Django", slug="django")
    make_alias(tool=tool, package="pypi:django")
    stack = make_stack(company=make_company(owner=member), tools=[tool])
    decision = make_decision(author=member, chosen=[tool])
    make_comment(decision=decision, author=member)
    _, secret = create_token(
        user=member, name="all", scopes=["read", "stacks:write", "decisions:write"]
    )
    return {"stack": stack, "secret": secret}


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("with_token", [False, True])
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, data, with_token, settings_override):
    # The in-process client does not undo the site's gzip.
    headers = {"Accept-Encoding": "identity"}
    if with_token:
        headers["Authorization"] = f"Bearer {data['secret']}"
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's transaction open across the WSGI calls.

    Schemathesis calls the WSGI application directly, so Django's
    ``close_old_connections`` runs at the start and end of every request; in
    a test's atomic block that closes the connection (PostgreSQL hands it
    back to the pool and rolls the test data back, and the next query fails).
    Django's own test client disconnects it the same way; SQLite's in-memory
    database ignores the close, which is why only PostgreSQL showed it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def settings_override(settings):
    # Limits would answer 429 within one run; they have tests of their own.
    from api.throttles import TokenOrAddressThrottle

    original = TokenOrAddressThrottle.THROTTLE_RATES
    TokenOrAddressThrottle.THROTTLE_RATES = {"api": None, "api_token": None}
    settings.RATE_LIMITS = {
        "write": (100_000, 60),
        "post": (100_000, 60),
        "comment": (100_000, 60),
    }
    yield
    TokenOrAddressThrottle.THROTTLE_RATES = original
