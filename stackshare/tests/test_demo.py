"""`seed_demo` over the whole catalog, run once for the module.

Seeding every app's demo data is the slowest thing the suite does, so one
module-wide database holds a dry run, a first run and a second run, and
each test reads what it needs from them. The data lives in one transaction
rolled back at the end, so the modules after this one start empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import Model

from accounts.models import MemberFollow, User
from accounts.moderators import MODERATORS_GROUP
from decisions.models import Comment, Decision, DecisionKind
from stacks.models import Company, CompanyFollow, Stack, StackHistory
from stacks.services import recount_tool_stack_counts
from stackups.models import Stackup
from tools.models import ProCon, ProConVote, Tool, ToolFollow, ToolVote

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("seeded-demo")]

SEEDED_MODELS: list[type[Model]] = [
    User,
    MemberFollow,
    Company,
    CompanyFollow,
    Stack,
    StackHistory,
    Decision,
    Comment,
    ToolFollow,
    ToolVote,
    ProCon,
    ProConVote,
    Stackup,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in SEEDED_MODELS}


@dataclass(frozen=True)
class DemoRuns:
    dry_run_output: str
    after_dry_run: dict[str, int]
    first_output: str
    after_first: dict[str, int]
    second_output: str
    after_second: dict[str, int]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoRuns]:
    with django_db_blocker.unblock(), transaction.atomic():
        # A transactional test run before these on the same worker ends by
        # emptying every table, rows of data migrations included; the demo
        # adds its moderator to their group.
        Group.objects.get_or_create(name=MODERATORS_GROUP)
        call_command("load_catalog", stdout=StringIO())
        outputs = []
        counts = []
        for args in (["--dry-run"], [], []):
            out = StringIO()
            call_command("seed_demo", *args, stdout=out)
            outputs.append(out.getvalue())
            counts.append(row_counts())
        yield DemoRuns(
            dry_run_output=outputs[0],
            after_dry_run=counts[0],
            first_output=outputs[1],
            after_first=counts[1],
            second_output=outputs[2],
            after_second=counts[2],
        )
        transaction.set_rollback(True)


def test_a_dry_run_reports_and_writes_nothing(demo):
    assert "Would create" in demo.dry_run_output
    assert set(demo.after_dry_run.values()) == {0}


def test_a_second_run_adds_nothing(demo):
    assert "Created 0 demo companies" in demo.second_output
    assert demo.after_second == demo.after_first


@pytest.mark.django_db
def test_companies_have_lived_in_stacks_with_exact_counts(demo):
    """At least 30 companies, history over two years, stack counts exact."""
    assert Company.objects.count() >= 30
    assert Stack.objects.filter(company__isnull=True).exists()
    dates = StackHistory.objects.values_list("created_at", flat=True)
    assert (max(dates) - min(dates)).days > 365
    assert recount_tool_stack_counts() == 0


@pytest.mark.django_db
def test_decisions_carry_comments_votes_and_exact_counters(demo):
    assert "demo decisions and advice threads" in demo.first_output
    assert Decision.objects.count() >= 60
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Decision.objects.filter(kind=DecisionKind.ADVICE, comment_count=0).exists()
    for decision in Decision.objects.all():
        assert decision.comment_count == decision.comments.count()
        assert decision.upvote_count == decision.votes.count()


@pytest.mark.django_db
def test_the_tools_stacks_use_most_have_followers(demo):
    """Tools every team runs have followers in the demo, stars or not."""
    most_used = Tool.objects.order_by("-stack_count")[:10]
    assert all(tool.follower_count > 0 for tool in most_used)
    assert Tool.objects.get(slug="postgresql").follower_count > 0
    assert Tool.objects.get(slug="mysql").follower_count > 0


@pytest.mark.django_db
def test_the_demo_logins_work(demo):
    assert "Staff login: admin / admin-demo-123" in demo.first_output
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    # The passwords were hashed with the default hasher, before the test
    # settings swapped in a fast one, so only their presence is checked here.
    assert admin.has_usable_password()
    assert User.objects.get(username="moderator").has_usable_password()


@pytest.mark.django_db
def test_tool_activity_is_seeded_with_counters_that_match_their_rows(demo):
    """Members follow and vote on tools, the demo's pros and cons are there,
    a comparison has views, and every counter equals its rows."""
    assert demo.after_first["ToolFollow"] > 0
    assert demo.after_first["ProCon"] >= 10
    assert Stackup.objects.filter(slug="flask-vs-rust", view_count__gt=0).exists()
    for tool in Tool.objects.all():
        assert tool.follower_count == tool.follows.count()
        assert tool.vote_count == tool.votes.count()
    for procon in ProCon.objects.all():
        assert procon.vote_count == procon.votes.count()
