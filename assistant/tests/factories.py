"""A small catalog for the assistant's tests, written through the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.tests.factories import make_member
from decisions.models import DecisionKind
from decisions.tests.factories import make_decision
from stacks import services as stacks
from stacks.models import Stack
from stacks.tests.factories import make_company, make_stack
from stackups.services import resolve, stackup_for
from tools.models import ProConKind, Tool, ToolRedirect, ToolStatus
from tools.tests.factories import make_alias, make_category, make_procon, make_tool


def make_move(old: Tool, new: Tool, *, company_name: str) -> Stack:
    """A company stack that drops ``old`` and adds ``new`` twenty days later."""
    now = timezone.now()
    stack = make_stack(company=make_company(name=company_name))
    stacks.add_tool_to_stack(
        stack=stack, tool=old, added_by=None, when=now - timedelta(days=400)
    )
    stacks.remove_tool_from_stack(
        stack=stack, tool=old, removed_by=None, when=now - timedelta(days=50)
    )
    stacks.add_tool_to_stack(
        stack=stack, tool=new, added_by=None, when=now - timedelta(days=30)
    )
    return stack


def make_catalog() -> dict[str, Any]:
    """Databases and a framework, companies using them, posts, moves, and
    things no reader may see (a pending tool, a hidden point, a hidden post)."""
    databases = make_category(name="Relational databases")
    postgres = make_tool(
        name="PostgreSQL",
        slug="postgresql",
        function=databases,
        tagline="An object-relational database",
        description="A database that takes SQL seriously.",
        github_stars=15000,
    )
    mysql = make_tool(name="MySQL", slug="mysql", function=databases)
    django = make_tool(name="Django", slug="django")
    pending = make_tool(
        name="Secretdb", slug="secretdb", function=databases, status=ToolStatus.PENDING
    )
    make_alias(tool=postgres, package="pypi:psycopg")
    make_alias(tool=django, package="pypi:django")
    ToolRedirect.objects.create(old_slug="postgres", tool=postgres)
    make_procon(tool=postgres, text="Rock solid under load", vote_count=5)
    make_procon(tool=postgres, text="Vacuum needs tuning", kind=ProConKind.CON)
    make_procon(tool=postgres, text="Hidden remark", is_hidden=True)
    make_procon(tool=mysql, text="Everywhere on shared hosting", vote_count=2)

    acme = make_company(name="Acme")
    make_stack(company=acme, tools=[postgres, django])
    globex = make_company(name="Globex")
    make_stack(company=globex, tools=[postgres])
    make_stack(company=make_company(name="Initech"), tools=[mysql])
    make_move(mysql, postgres, company_name="Hooli")
    make_move(mysql, postgres, company_name="Umbrella")
    make_move(postgres, mysql, company_name="Vandelay")
    # Someone compared the two, so the tool pages list a stackup.
    stackup_for(resolve("mysql-vs-postgresql"))
    stacks.refresh_tool_pairings()  # the nightly "often used with" table

    author = make_member(username="ada", display_name="Ada Lovelace")
    chose = make_decision(
        author=author,
        title="Why we chose PostgreSQL over MySQL",
        chosen=[postgres],
        considered=[mysql],
    )
    asked = make_decision(
        author=author,
        kind=DecisionKind.ADVICE,
        title="Which database for a small team?",
        considered=[postgres, mysql],
    )
    hidden = make_decision(
        title="A post a moderator hid", chosen=[postgres], is_hidden=True
    )
    return {
        "postgres": postgres,
        "mysql": mysql,
        "django": django,
        "pending": pending,
        "acme": acme,
        "globex": globex,
        "author": author,
        "chose": chose,
        "asked": asked,
        "hidden": hidden,
    }
