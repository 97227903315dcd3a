"""generate_bench_data at a tiny scale: exact counters, determinism, refusals."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.models import User
from bench.generators import READER_COMPANY_FOLLOWS, READER_FOLLOWS, READER_USERNAME
from bench.models import BenchDataset
from changes.models import RadarEntry
from decisions.models import Comment, Decision
from stacks.models import (
    Company,
    CompanyFollow,
    HistoryAction,
    Stack,
    StackHistory,
    StackItem,
    ToolPairing,
)
from stackups.models import Stackup
from tools.models import ProCon, Tool, ToolFollow, ToolVote
from tools.tests.factories import make_tool

TINY = "0.004"  # 400 members, the curated tools, about 4,000 follows and votes


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_bench_data", "--scale", TINY, *args, stdout=out, verbosity=1)
    return out.getvalue()


def fingerprint() -> tuple[object, ...]:
    return (
        list(Tool.objects.order_by("pk").values_list("pk", "slug", "follower_count")),
        list(ToolFollow.objects.order_by("user", "tool").values_list("user", "tool")),
        list(ProCon.objects.order_by("pk").values_list("tool", "text", "vote_count")),
        list(Stackup.objects.order_by("pk").values_list("slug", flat=True)),
        list(StackItem.objects.order_by("pk").values_list("stack", "tool")),
        list(Comment.objects.order_by("pk").values_list("decision", "parent")),
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_generates_skewed_data_with_exact_counters():
    """Counters match their rows; a few tools get most follows; the reader follows 200."""
    output = generate()
    assert "written in" in output
    dataset = BenchDataset.objects.get()
    assert dataset.counts["members"] == User.objects.count()
    assert Tool.objects.count() >= 482  # the curated catalog, at least
    for slug, *counters in Tool.objects.annotate(
        f=Count("follows", distinct=True), v=Count("votes", distinct=True)
    ).values_list("slug", "follower_count", "vote_count", "f", "v"):
        assert counters[:2] == counters[2:], slug
    for votes, counted in ProCon.objects.annotate(n=Count("votes")).values_list(
        "vote_count", "n"
    ):
        assert votes == counted
    counts = sorted(Tool.objects.values_list("follower_count", flat=True), reverse=True)
    top_tenth = sum(counts[: len(counts) // 10])
    assert top_tenth > sum(counts) / 2  # Zipf-like: the top 10% hold most follows
    reader = User.objects.get(username=READER_USERNAME)
    assert ToolFollow.objects.filter(user=reader).count() == READER_FOLLOWS
    assert ToolVote.objects.exists()
    assert Stackup.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_generates_stacks_and_decisions_with_exact_counters():
    """Stack, company and decision counters match their rows; history and pairings exist."""
    generate()
    for slug, stacks, counted in Tool.objects.annotate(
        n=Count("stack_items")
    ).values_list("slug", "stack_count", "n"):
        assert stacks == counted, slug
    for items, counted in Stack.objects.annotate(n=Count("items")).values_list(
        "item_count", "n"
    ):
        assert items == counted
    for *counters, tools, followers in Company.objects.annotate(
        t=Count("stacks__items__tool", distinct=True),
        f=Count("follows", distinct=True),
    ).values_list("tool_count", "follower_count", "t", "f"):
        assert counters == [tools, followers]
    upvotes = dict(
        Decision.objects.annotate(v=Count("votes", distinct=True)).values_list(
            "pk", "v"
        )
    )
    for decision in Decision.objects.prefetch_related("comments"):
        visible = [c for c in decision.comments.all() if not c.is_removed]
        assert (decision.upvote_count, decision.comment_count) == (
            upvotes[decision.pk],
            len(visible),
        )
    assert StackHistory.objects.filter(action=HistoryAction.REMOVED).exists()
    assert StackHistory.objects.filter(action=HistoryAction.ADDED).count() >= (
        StackItem.objects.count()
    )
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert ToolPairing.objects.exists()
    # Each ring other than adopt came with its event in the stack's history.
    ringed = set(
        RadarEntry.objects.exclude(ring="adopt").values_list(
            "item__stack", "item__tool", "ring"
        )
    )
    assert ringed
    assert ringed == set(
        StackHistory.objects.ring_changes().values_list("stack", "tool", "ring_to")
    )
    reader = User.objects.get(username=READER_USERNAME)
    assert CompanyFollow.objects.filter(user=reader).count() == READER_COMPANY_FOLLOWS


@pytest.mark.slow
@pytest.mark.django_db
def test_a_second_run_is_a_no_op_and_force_repeats_the_same_rows():
    """Same scale, seed and code: nothing to do; --force regenerates identically."""
    generate()
    before = fingerprint()
    assert "nothing to do" in generate()
    assert "written in" in generate("--force")
    assert fingerprint() == before
    assert BenchDataset.objects.count() == 1


@pytest.mark.django_db
def test_refuses_a_database_with_real_data():
    """A database holding tools it did not write is left alone."""
    make_tool(name="Flask")
    with pytest.raises(CommandError, match="not bench data"):
        generate()
    assert Tool.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    """--dry-run says what it would write."""
    output = generate("--dry-run")
    assert "Dry run" in output
    assert not User.objects.exists()
    assert not BenchDataset.objects.exists()


@pytest.mark.django_db
def test_bad_scale_is_refused():
    with pytest.raises(CommandError, match="--scale"):
        call_command("generate_bench_data", "--scale", "0", stdout=StringIO())
