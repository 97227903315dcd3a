"""bench_api_push: a company token and stack files the live server accepts."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from stacks.tests.factories import make_company, make_stack
from tools.tests.factories import make_alias, make_tool


@pytest.mark.django_db
def test_pushes_are_prepared_and_accepted(tmp_path, client, member):
    make_stack(company=make_company(owner=member))
    for n in range(50):
        make_alias(tool=make_tool(name=f"Library {n}"), package=f"npm:library-{n}")
    output = tmp_path / "push.json"
    call_command(
        "bench_api_push", "--pushes", "2", "--output", str(output), stderr=StringIO()
    )
    plan = json.loads(output.read_text())
    assert plan["path"].endswith("/scans/")
    outcomes = []
    for body in plan["bodies"]:
        response = client.post(
            plan["path"],
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {plan['token']}"},
        )
        assert response.status_code == 201, response.content
        outcomes.append(response.json())
    assert len(outcomes[0]["added"]) == 40
    assert len(outcomes[1]["added"]) == 10
    assert len(outcomes[1]["not_seen"]) == 10
