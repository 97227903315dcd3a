"""Fixtures of the URL sweeps: a small data set, and a client per persona."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from decisions.models import DecisionKind
from decisions.tests.factories import make_comment, make_decision
from feeds.models import Reading
from stacks.tests.factories import make_company, make_membership, make_stack
from stackups.services import resolve, stackup_for
from tests.personas import PERSONAS, Personas
from tests.sweep_rows import DataSet
from tools.models import ProConKind
from tools.tests.factories import make_alias, make_category, make_procon, make_tool


@pytest.fixture
def data_set(member, other_member, moderator) -> DataSet:
    """Tools with pros and cons, a company with a stack, posts, comments."""
    function = make_category(name="Web frameworks")
    django, flask, rails = (
        make_tool(name=name, function=function) for name in ("Django", "Flask", "Rails")
    )
    make_alias(tool=django, package="pypi:django")
    pro = make_procon(tool=django, text="Batteries included", kind=ProConKind.PRO)
    con = make_procon(tool=django, text="Heavy for tiny apps", kind=ProConKind.CON)
    company = make_company(name="Acme", owner=member)
    make_membership(company=company, user=other_member)
    stack = make_stack(name="Main product", company=company, tools=[django, flask])
    own_stack = make_stack(name="Side project", owner_user=member, tools=[rails])
    decision = make_decision(author=member, chosen=[django], considered=[flask])
    advice = make_decision(
        author=other_member, kind=DecisionKind.ADVICE, considered=[django, rails]
    )
    comment = make_comment(decision=decision, author=other_member)
    reply = make_comment(decision=decision, author=member, parent=comment)
    stackup = stackup_for(resolve(f"{django.slug}-vs-{flask.slug}"))
    reading, _ = Reading.objects.get_or_create(user=member)
    tool_type = ContentType.objects.get_for_model(django)
    return DataSet(
        ints=[
            decision.pk,
            advice.pk,
            comment.pk,
            reply.pk,
            pro.pk,
            con.pk,
            member.pk,
            tool_type.pk,
            0,
            2**31,
            2**63,
            10**30,
        ],
        slugs=[
            django.slug,
            flask.slug,
            function.slug,
            function.parent.slug,
            company.slug,
            stack.slug,
            own_stack.slug,
            decision.slug,
        ],
        strings=[
            member.username,
            other_member.username,
            moderator.username,
            reading.feed_key,
            stackup.slug,
            "comparison",
            "alternatives",
            "tools",
        ],
        real={
            "decision": str(decision.pk),
            "decision_slug": decision.slug,
            "comment": str(comment.pk),
            "procon": str(pro.pk),
            "tool": django.slug,
            "category": function.slug,
            "company": company.slug,
            "stack": stack.slug,
            "member": member.username,
            "company_member": other_member.username,
            "feed_key": reading.feed_key,
            "stackup": stackup.slug,
            "content_type": str(tool_type.pk),
        },
    )


@pytest.fixture
def personas(member, moderator, data_set) -> Personas:
    clients = {name: Client(raise_request_exception=False) for name in PERSONAS}
    sessions = {}
    for name, user in [("member", member), ("moderator", moderator)]:
        clients[name].force_login(user)
        sessions[name] = clients[name].cookies[settings.SESSION_COOKIE_NAME].value
    return Personas(clients=clients, sessions=sessions)
