"""Tokens and writes: scans pushed from CI, posts and comments, and who may do them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.services import create_token, revoke_token
from decisions.models import Comment, Decision
from decisions.tests.factories import make_decision
from stacks.models import HistoryAction, Role, StackItem
from stacks.services import remove_company_member
from stacks.tests.factories import make_company, make_membership, make_stack
from tools.tests.factories import make_alias, make_tool

pytestmark = pytest.mark.django_db


def stack_file(*packages: tuple[str, str, bool]) -> str:
    return json.dumps(
        {
            "format": "stackshare-stack",
            "version": 1,
            "generator": "stackshare-scan 0.1.0",
            "generated_at": "2026-12-05T06:00:00+00:00",
            "files": ["requirements.txt"],
            "packages": [
                {"ecosystem": eco, "name": name, "file": "requirements.txt", "dev": dev}
                for eco, name, dev in packages
            ],
        }
    )


def push(client, stack, body, secret):
    return client.post(
        f"/api/v1/stacks/{stack.slug}/scans/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


@pytest.fixture
def catalog():
    tools = {}
    for name, package in [
        ("Django", "pypi:django"),
        ("Celery", "pypi:celery"),
        ("pytest", "pypi:pytest"),
        ("Redis", "pypi:redis"),
    ]:
        tools[name] = make_tool(name=name)
        make_alias(tool=tools[name], package=package)
    return tools


@pytest.fixture
def owned(member):
    company = make_company(owner=member)
    return make_stack(name="Main", company=company)


def test_a_pushed_scan_adds_runtime_tools_and_is_idempotent(
    client, member, owned, catalog
):
    _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
    body = stack_file(
        ("pypi", "django", False), ("pypi", "pytest", True), ("pypi", "nope", False)
    )
    first = push(client, owned, body, secret)
    assert first.status_code == 201, first.content
    assert first.json()["added"] == ["django"]
    assert first.json()["unknown"] == 1
    item = StackItem.objects.get(stack=owned)
    assert item.tool.slug == "django"
    assert item.source == "detected"
    history = owned.history.get()
    assert history.scan_id == first.json()["scan"]

    again = push(client, owned, body, secret)
    assert again.status_code == 200
    assert again.json()["repeated"] is True
    assert owned.history.count() == 1
    assert StackItem.objects.filter(stack=owned).count() == 1


def test_entries_a_scan_no_longer_finds_are_marked_not_removed(
    client, member, owned, catalog
):
    _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
    push(
        client,
        owned,
        stack_file(("pypi", "django", False), ("pypi", "celery", False)),
        secret,
    )
    second = push(client, owned, stack_file(("pypi", "django", False)), secret)
    assert second.json()["not_seen"] == ["celery"]
    celery = StackItem.objects.get(stack=owned, tool__slug="celery")
    assert celery.not_seen_since is not None
    assert owned.history.filter(
        action=HistoryAction.NOT_SEEN, tool__slug="celery"
    ).exists()
    shown = client.get(f"/api/v1/stacks/{owned.slug}/").json()
    marks = {i["tool"]["slug"]: i["evidence"]["not_seen_since"] for i in shown["items"]}
    assert marks["celery"] is not None
    assert marks["django"] is None
    page = client.get(owned.get_absolute_url()).content.decode()
    assert "Not seen in the latest scan" in page
    assert "from a pushed scan" in page
    third = push(
        client,
        owned,
        stack_file(("pypi", "django", False), ("pypi", "celery", False)),
        secret,
    )
    assert third.json()["seen_again"] == ["celery"]
    celery.refresh_from_db()
    assert celery.not_seen_since is None


def test_hand_added_entries_are_never_marked(client, member, owned, catalog):
    from stacks.services import add_tool_to_stack

    add_tool_to_stack(stack=owned, tool=catalog["Redis"], added_by=member)
    _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
    push(client, owned, stack_file(("pypi", "django", False)), secret)
    assert (
        StackItem.objects.get(stack=owned, tool=catalog["Redis"]).not_seen_since is None
    )


def test_a_company_token_writes_only_its_company_stacks(client, member, owned, catalog):
    other = make_stack(name="Other", company=make_company(owner=member))
    _token, secret = create_token(
        user=member, name="CI", scopes=["stacks:write"], company=owned.company
    )
    body = stack_file(("pypi", "django", False))
    assert push(client, owned, body, secret).status_code == 201
    refused = push(client, other, body, secret)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"


def test_only_owners_create_company_tokens(member, other_member):
    company = make_company(owner=member)
    make_membership(company=company, user=other_member, role=Role.EDITOR)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_token(
            user=other_member, name="CI", scopes=["stacks:write"], company=company
        )


PUSH_REFUSALS = {
    # case: the status a push gets
    "anonymous": 401,
    "garbage": 401,
    "revoked": 401,
    "expired": 401,
    "deactivated": 401,
    "wrong_scope": 403,
    "suspended": 403,
    "not_a_member": 403,
    "plain_member": 403,  # a member of the company who may not edit its stacks
    "other_company_token": 403,
    "company_token_on_a_personal_stack": 403,
    "company_token_after_its_owner_left": 403,
}


@pytest.mark.parametrize("case", sorted(PUSH_REFUSALS))
def test_permissions_for_a_scan_push(
    client, member, other_member, owned, catalog, case
):
    body = stack_file(("pypi", "django", False))
    target = owned
    user = member
    if case in {"not_a_member", "plain_member"}:
        user = other_member
    if case == "plain_member":
        make_membership(company=owned.company, user=other_member, role=Role.MEMBER)
    company = None
    if case == "other_company_token":
        company = make_company(owner=member)
    if case in {
        "company_token_on_a_personal_stack",
        "company_token_after_its_owner_left",
    }:
        company = owned.company
    if case == "company_token_on_a_personal_stack":
        target = make_stack(name="Side project", owner_user=member)
    scopes = ["read"] if case == "wrong_scope" else ["stacks:write"]
    token, secret = create_token(user=user, name="CI", scopes=scopes, company=company)
    if case == "company_token_after_its_owner_left":
        make_membership(company=owned.company, user=other_member, role=Role.OWNER)
        remove_company_member(company=owned.company, user=member)
    if case == "revoked":
        revoke_token(token=token)
    if case == "expired":
        type(token).objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    if case == "suspended":
        type(user).objects.filter(pk=user.pk).update(is_suspended=True)
    if case == "deactivated":
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    if case == "anonymous":
        response = client.post(
            f"/api/v1/stacks/{target.slug}/scans/",
            body,
            content_type="application/json",
        )
    else:
        response = push(
            client, target, body, "ssk_nonsense" if case == "garbage" else secret
        )
    assert response.status_code == PUSH_REFUSALS[case], response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not StackItem.objects.filter(stack=target).exists()
    assert not target.scans.exists()


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps({"format": "other"}), json.dumps([1, 2]), "[" * 5000],
)
def test_a_bad_stack_file_is_a_400(client, member, owned, body):
    _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
    response = push(client, owned, body, secret)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "case",
    [
        "anonymous",
        "wrong_scope",
        "revoked",
        "expired",
        "suspended",
        "deactivated",
        "company_token",
    ],
)
def test_permissions_for_posting_and_commenting(client, member, case):
    tool = make_tool(name="Django")
    decision = make_decision()
    if case == "company_token":
        token, secret = create_token(
            user=member,
            name="CI",
            scopes=["stacks:write"],
            company=make_company(owner=member),
        )
    else:
        scopes = ["stacks:write"] if case == "wrong_scope" else ["decisions:write"]
        token, secret = create_token(user=member, name="Script", scopes=scopes)
    if case == "revoked":
        revoke_token(token=token)
    if case == "expired":
        type(token).objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    if case == "suspended":
        type(member).objects.filter(pk=member.pk).update(is_suspended=True)
    if case == "deactivated":
        type(member).objects.filter(pk=member.pk).update(is_active=False)
    headers = {} if case == "anonymous" else {"Authorization": f"Bearer {secret}"}
    post = client.post(
        "/api/v1/decisions/",
        {
            "kind": "decided",
            "title": "Why Django",
            "body": "It fits.",
            "chosen": [tool.slug],
        },
        content_type="application/json",
        headers=headers,
    )
    comment = client.post(
        f"/api/v1/decisions/{decision.pk}/comments/",
        {"body": "Agreed."},
        content_type="application/json",
        headers=headers,
    )
    expected = (
        401 if case in {"anonymous", "revoked", "expired", "deactivated"} else 403
    )
    assert (post.status_code, comment.status_code) == (expected, expected)
    assert Decision.objects.count() == 1
    assert not Comment.objects.exists()


def test_posts_and_comments_go_through_the_services_with_sanitising(client, member):
    tool = make_tool(name="Django")
    _, secret = create_token(user=member, name="Script", scopes=["decisions:write"])
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.post(
        "/api/v1/decisions/",
        {
            "kind": "decided",
            "title": "Why Django",
            "body": "It fits <script>alert(1)</script>",
            "chosen": [tool.slug],
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert "<script>" not in response.json()["body_html"]
    assert response.json()["tools"] == [
        {"tool": {"slug": "django", "name": "Django"}, "role": "chosen"}
    ]
    decision_id = response.json()["id"]
    comment = client.post(
        f"/api/v1/decisions/{decision_id}/comments/",
        {"body": "Same here."},
        content_type="application/json",
        headers=headers,
    )
    assert comment.status_code == 201
    assert comment.json()["author"]["username"] == member.username


def test_posting_follows_the_sites_rate_limit(client, member, settings):
    settings.RATE_LIMITS = {"post": (1, 3600)}
    tool = make_tool(name="Django")
    _, secret = create_token(user=member, name="Script", scopes=["decisions:write"])
    headers = {"Authorization": f"Bearer {secret}"}
    payload = {
        "kind": "decided",
        "title": "Why Django",
        "body": "It fits.",
        "chosen": [tool.slug],
    }
    assert (
        client.post(
            "/api/v1/decisions/",
            payload,
            content_type="application/json",
            headers=headers,
        ).status_code
        == 201
    )
    limited = client.post(
        "/api/v1/decisions/", payload, content_type="application/json", headers=headers
    )
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited["Content-Type"] == "application/problem+json"


def test_reads_are_throttled_per_address_with_retry_after(client, monkeypatch):
    from api.throttles import TokenOrAddressThrottle

    monkeypatch.setattr(
        TokenOrAddressThrottle, "THROTTLE_RATES", {"api": "2/min", "api_token": "5/min"}
    )
    make_tool(name="Django")
    statuses = [client.get("/api/v1/tools/django/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert int(client.get("/api/v1/tools/django/")["Retry-After"]) > 0


def test_a_token_stores_only_its_hash_and_notes_its_use(client, member):
    token, secret = create_token(user=member, name="Laptop", scopes=["read"])
    assert secret not in token.token_hash
    assert token.last_used_at is None
    make_tool(name="Django")
    client.get("/api/v1/tools/django/", headers={"Authorization": f"Bearer {secret}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_decision_writes_are_refused_for_unknown_tools(client, member):
    _, secret = create_token(user=member, name="Script", scopes=["decisions:write"])
    response = client.post(
        "/api/v1/decisions/",
        {"kind": "decided", "title": "Why", "body": "Because.", "chosen": ["nope"]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400


def test_a_push_takes_the_same_queries_for_20_or_200_packages(client, member):
    """Entries are added in bulk: a bigger scan costs no more round trips."""
    for n in range(220):
        make_alias(tool=make_tool(name=f"Library {n}"), package=f"npm:library-{n}")
    queries = []
    for names in (range(20), range(20, 220)):
        stack = make_stack(company=make_company(owner=member))
        _, secret = create_token(user=member, name="CI", scopes=["stacks:write"])
        body = stack_file(*((("npm", f"library-{n}", False)) for n in names))
        with CaptureQueriesContext(connection) as captured:
            response = push(client, stack, body, secret)
        assert response.status_code == 201, response.content
        assert len(response.json()["added"]) == len(names)
        queries.append(len(captured))
    assert queries[0] == queries[1]
    # Four of them sum the added tools' recent months again.
    assert queries[1] <= 34
