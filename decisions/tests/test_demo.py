from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from decisions.demo import read_demo_data
from decisions.models import MAX_TOOLS, Comment, Decision, DecisionKind

TOOLS_DATA = Path(__file__).resolve().parents[2] / "tools" / "data"


def test_demo_data_tags_only_catalog_tools_within_the_rules():
    """Every slug exists in tools/data, decisions choose something, advice only weighs."""
    slugs = set()
    for path in TOOLS_DATA.glob("tools_*.toml"):
        slugs |= set(re.findall(r'^slug = "([^"]+)"', path.read_text(), re.MULTILINE))
    data = read_demo_data()
    assert len(data["decision"]) >= 60
    titles = set()
    for row in data["decision"]:
        tags = [*row.get("chosen", []), *row.get("considered", [])]
        assert set(tags) <= slugs, row["title"]
        assert 1 <= len(tags) <= MAX_TOOLS, row["title"]
        assert (row["kind"] == DecisionKind.DECIDED) == bool(row.get("chosen")), row[
            "title"
        ]
        assert row["title"] not in titles
        titles.add(row["title"])
    seed_tools = {"flask", "rust", "django", "nodejs", "golang", "php"}
    assert seed_tools <= {
        s
        for row in data["decision"]
        for s in row.get("chosen", []) + row.get("considered", [])
    }


@pytest.mark.django_db
def test_seed_demo_adds_decisions_once_with_exact_counters():
    call_command("load_catalog", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "demo decisions and advice threads" in out.getvalue()
    count = Decision.objects.count()
    assert count >= 60
    assert Comment.objects.filter(parent__isnull=False).exists()
    for decision in Decision.objects.all():
        assert decision.comment_count == decision.comments.count()
        assert decision.upvote_count == decision.votes.count()
    call_command("seed_demo", stdout=StringIO())
    assert Decision.objects.count() == count
    assert Decision.objects.filter(kind=DecisionKind.ADVICE, comment_count=0).exists()


@pytest.mark.django_db
def test_seed_demo_dry_run_writes_no_decisions():
    call_command("load_catalog", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--dry-run", stdout=out)
    assert "Would create" in out.getvalue()
    assert not Decision.objects.exists()
