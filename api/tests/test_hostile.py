"""Input PostgreSQL cannot take is a 400, never a 500, on both databases.

Each case here was a server error: hand-made cursors reached the page
query with values the columns cannot be compared with (a NUL, a lone
surrogate, a string for a number, NaN), and JSON bodies carried ``\\u0000``
or ``\\ud800`` escapes into columns that cannot hold them.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from api.services import create_token
from api.tests.test_writes import push, stack_file
from decisions.models import Comment, Decision
from decisions.tests.factories import make_decision
from stacks.models import StackScan
from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_alias, make_tool

pytestmark = pytest.mark.django_db


def hand_made(values: list[Any]) -> str:
    """A cursor in the shape an unsigned one would have: base64 of JSON."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "values",
    [
        ["a\x00", 1],  # PostgreSQL refuses a NUL even in a comparison
        ["\ud800", 1],  # no encoder writes a lone surrogate
        ["Acme", "not a number"],
        [float("nan"), 1],
        [10**30, 10**30],
        [{"t": "2026-01-01"}, 1],
    ],
)
@pytest.mark.parametrize(
    "url", ["/api/v1/companies/", "/api/v1/stacks/", "/api/v1/decisions/"]
)
def test_a_hand_made_cursor_is_a_400_problem(client, url, values):
    make_stack(company=make_company(name="Acme"))
    response = client.get(url, {"cursor": hand_made(values)})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "cursor" in response.json()["errors"]


def test_a_cursor_from_another_sort_is_refused_and_its_own_works(client):
    for n in range(3):
        make_tool(name=f"Tool {n}")
    followers = client.get("/api/v1/tools/?sort=followers&page_size=1").json()
    cursor = parse_qs(urlsplit(followers["next"]).query)["cursor"][0]
    votes = client.get("/api/v1/tools/", {"sort": "votes", "cursor": cursor})
    assert votes.status_code == 400
    again = client.get(followers["next"])
    assert again.status_code == 200
    assert again.json()["results"][0]["slug"] != followers["results"][0]["slug"]


@pytest.fixture
def writer(member):
    _, secret = create_token(
        user=member, name="CI", scopes=["stacks:write", "decisions:write"]
    )
    return secret


def test_a_pushed_scan_with_a_nul_is_a_400_and_stores_nothing(client, member, writer):
    make_alias(tool=make_tool(name="Django"), package="pypi:django")
    stack = make_stack(company=make_company(owner=member))
    body = json.loads(stack_file(("pypi", "django", False)))
    body["generator"] = "ci\x00"
    response = push(client, stack, json.dumps(body), writer)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert not StackScan.objects.exists()

    body = json.loads(stack_file(("pypi", "django", False)))
    body["packages"][0]["file"] = "requirements\ud800.txt"
    assert push(client, stack, json.dumps(body), writer).status_code == 400
    assert not StackScan.objects.exists()
    assert (
        push(client, stack, stack_file(("pypi", "django", False)), writer).status_code
        == 201
    )


def test_posts_and_comments_with_a_nul_or_lone_surrogate_are_400s(
    client, member, writer
):
    make_tool(name="Django")
    decision = make_decision(author=member)
    auth = {"Authorization": f"Bearer {writer}"}
    post = {"kind": "decision", "title": "Why we chose Django", "body": "It fits."}
    for bad in ({"title": "Why\ud800"}, {"body": "Fits\x00"}):
        response = client.post(
            "/api/v1/decisions/",
            {**post, **bad},
            content_type="application/json",
            headers=auth,
        )
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == "application/problem+json"
    assert Decision.objects.count() == 1
    bodies: list[dict[str, object]] = [
        {"body": "Agreed\ud800"},
        {"body": "Agreed", "\x00": 1},
    ]
    for body in bodies:
        response = client.post(
            f"/api/v1/decisions/{decision.pk}/comments/",
            body,
            content_type="application/json",
            headers=auth,
        )
        assert response.status_code == 400, response.content
    assert not Comment.objects.exists()
