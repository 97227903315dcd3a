from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import MemberFollow, User
from accounts.services import unfollow_member
from accounts.tests.factories import make_member
from decisions.models import DecisionVote
from stacks.models import CompanyFollow
from stacks.tests.factories import make_company
from tools.models import ToolFollow, ToolVote
from tools.services import unfollow_tool
from tools.tests.factories import make_tool

# Idempotence, the dry run and the demo logins are tested over the whole
# catalog, seeded once, in stackshare/tests/test_demo.py.


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_again_leaves_real_members_and_their_choices_alone():
    """After real use, a second run adds no follows or votes: not for members
    who signed up for real, not of their companies, not again for a demo
    member who unfollowed since."""
    for slug, name in [("flask", "Flask"), ("rust", "Rust"), ("django", "Django")]:
        make_tool(name=name, slug=slug, github_stars=1000)
    call_command("seed_demo", stdout=StringIO())
    real = make_member(username="newcomer")
    make_company(name="Newcomer Inc", owner=real)
    nadia = User.objects.get(username="nadia")
    tool_follow = ToolFollow.objects.filter(user=nadia).first()
    assert tool_follow is not None
    followed_tool = tool_follow.tool
    unfollow_tool(user=nadia, tool=followed_tool)
    member_follow = MemberFollow.objects.filter(follower=nadia).first()
    assert member_follow is not None
    followed_member = member_follow.followed
    unfollow_member(follower=nadia, followed=followed_member)
    before = (
        ToolFollow.objects.count(),
        ToolVote.objects.count(),
        MemberFollow.objects.count(),
        CompanyFollow.objects.count(),
        DecisionVote.objects.count(),
    )

    call_command("seed_demo", stdout=StringIO())

    assert (
        ToolFollow.objects.count(),
        ToolVote.objects.count(),
        MemberFollow.objects.count(),
        CompanyFollow.objects.count(),
        DecisionVote.objects.count(),
    ) == before
    assert not ToolFollow.objects.filter(user=nadia, tool=followed_tool).exists()
    assert not MemberFollow.objects.filter(follower=real).exists()
    assert not MemberFollow.objects.filter(followed=real).exists()
    assert not CompanyFollow.objects.filter(company__name="Newcomer Inc").exists()
