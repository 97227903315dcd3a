from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from stackups.models import Stackup
from tools.models import ProCon, ProConVote, Tool, ToolFollow, ToolVote
from tools.tests.factories import make_tool


def activity() -> tuple[int, ...]:
    return (
        ToolFollow.objects.count(),
        ToolVote.objects.count(),
        ProCon.objects.count(),
        ProConVote.objects.count(),
        Stackup.objects.count(),
    )


@pytest.mark.django_db
def test_demo_activity_is_idempotent_and_counters_match_rows():
    """A second seed adds nothing, and every counter equals its rows."""
    for slug, name in [("flask", "Flask"), ("rust", "Rust"), ("django", "Django")]:
        make_tool(name=name, slug=slug, github_stars=1000)
    call_command("seed_demo", stdout=StringIO())
    first = activity()
    assert first[0] > 0  # members follow the demo tools
    assert first[2] >= 10  # the demo pros and cons of Flask, Rust and Django
    assert Stackup.objects.filter(slug="flask-vs-rust", view_count__gt=0).exists()
    call_command("seed_demo", stdout=StringIO())
    assert activity() == first
    for tool in Tool.objects.all():
        assert tool.follower_count == tool.follows.count()
        assert tool.vote_count == tool.votes.count()
    for procon in ProCon.objects.all():
        assert procon.vote_count == procon.votes.count()
