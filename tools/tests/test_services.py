from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import ModerationAction, ModerationEvent
from accounts.services import SuspendedError, suspend_member
from accounts.tests.factories import make_member
from tools import services
from tools.models import (
    Alias,
    Alternative,
    ProCon,
    ProConKind,
    Tool,
    ToolFollow,
    ToolRedirect,
    ToolStatus,
    ToolVote,
)
from tools.search import search_tools
from tools.services import add_synonym, check_synonym, delete_synonyms
from tools.tests.factories import make_alias, make_procon, make_tool


@pytest.mark.django_db
def test_follow_and_vote_count_each_member_once(member):
    """Following or voting twice counts once; taking it back brings the count down."""
    tool = make_tool()
    services.follow_tool(user=member, tool=tool)
    services.follow_tool(user=member, tool=tool)
    services.vote_for_tool(user=member, tool=tool)
    services.vote_for_tool(user=member, tool=tool)
    tool.refresh_from_db()
    assert (tool.follower_count, tool.vote_count) == (1, 1)
    services.unfollow_tool(user=member, tool=tool)
    services.unfollow_tool(user=member, tool=tool)
    services.withdraw_tool_vote(user=member, tool=tool)
    tool.refresh_from_db()
    assert (tool.follower_count, tool.vote_count) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_from_one_member_count_once(at_once):
    """Four requests voting at the same moment leave one vote and a count of one.

    The unique constraint refuses the other rows, and the counter only moves
    with a row that was really inserted.
    """
    member = make_member()
    tool = make_tool()

    def click():
        services.vote_for_tool(user=member, tool=tool)
        services.follow_tool(user=member, tool=tool)

    assert not at_once(click, click, click, click)
    tool.refresh_from_db()
    assert ToolVote.objects.filter(tool=tool).count() == 1
    assert (tool.vote_count, tool.follower_count) == (1, 1)


@pytest.mark.django_db
def test_duplicate_procon_is_refused(member):
    """The same point, whatever its case or spacing, is listed once per tool."""
    tool = make_tool()
    services.add_procon(
        tool=tool, kind=ProConKind.PRO, text="Great  documentation", author=member
    )
    with pytest.raises(ValidationError, match="already listed"):
        services.add_procon(
            tool=tool, kind=ProConKind.CON, text="great documentation.", author=member
        )
    assert ProCon.objects.filter(tool=tool).count() == 1


@pytest.mark.django_db
def test_procon_votes_toggle(member, other_member):
    procon = make_procon(tool=make_tool())
    services.vote_for_procon(user=member, procon=procon)
    services.vote_for_procon(user=member, procon=procon)
    services.vote_for_procon(user=other_member, procon=procon)
    procon.refresh_from_db()
    assert procon.vote_count == 2
    services.withdraw_procon_vote(user=member, procon=procon)
    procon.refresh_from_db()
    assert procon.vote_count == 1


@pytest.mark.django_db
def test_submitted_tool_waits_for_approval_and_is_recorded(member, moderator):
    """A submission is pending until a moderator approves it; the action is on record."""
    function = make_tool().function
    tool = services.submit_tool(
        submitted_by=member,
        name="Quokka DB",
        function=function,
        website="https://quokka.example",
    )
    assert tool.status == ToolStatus.PENDING
    assert not Tool.objects.approved().filter(pk=tool.pk).exists()
    services.approve_tool(tool=tool, actor=moderator)
    assert Tool.objects.approved().filter(pk=tool.pk).exists()
    event = ModerationEvent.objects.get()
    assert (event.actor, event.action, event.target_repr) == (
        moderator,
        ModerationAction.APPROVE,
        "Quokka DB",
    )


@pytest.mark.django_db
def test_merge_moves_everything_without_double_counting(
    member, other_member, moderator
):
    """Merging a duplicate moves aliases, follows, votes, pros and cons, and redirects its slug."""
    target = make_tool(name="PostgreSQL")
    source = make_tool(name="Postgres", function=target.function)
    third = make_tool(name="MySQL", function=target.function)
    make_alias(tool=source, package="docker:postgres")
    Alternative.objects.create(tool=source, alternative=third)
    Alternative.objects.create(tool=third, alternative=source)
    for user in [member, other_member]:
        services.follow_tool(user=user, tool=source)
        services.vote_for_tool(user=user, tool=source)
    services.follow_tool(user=member, tool=target)  # already follows the survivor
    shared_source = make_procon(tool=source, text="Rock solid")
    make_procon(tool=target, text="rock solid")
    services.vote_for_procon(user=member, procon=shared_source)
    make_procon(tool=source, text="Extensions for everything")

    services.merge_tools(source=source, target=target, actor=moderator)

    target.refresh_from_db()
    assert not Tool.objects.filter(pk=source.pk).exists()
    assert target.follower_count == ToolFollow.objects.filter(tool=target).count() == 2
    assert target.vote_count == 2
    assert Alias.objects.get(name="postgres").tool == target
    assert Alternative.objects.filter(tool=target, alternative=third).exists()
    assert Alternative.objects.filter(tool=third, alternative=target).exists()
    assert sorted(target.procons.values_list("text", flat=True)) == [
        "Extensions for everything",
        "rock solid",
    ]
    assert target.procons.get(text="rock solid").vote_count == 1
    assert ToolRedirect.objects.get(old_slug="postgres").tool == target
    assert ModerationEvent.objects.filter(
        action=ModerationAction.MERGE, target_repr="Postgres"
    ).exists()


@pytest.mark.django_db
def test_merge_into_itself_is_refused(moderator):
    tool = make_tool()
    with pytest.raises(ValidationError):
        services.merge_tools(source=tool, target=tool, actor=moderator)


@pytest.mark.django_db
def test_deprecated_tool_sinks_in_rankings(moderator):
    """A deprecated tool ranks below live ones even with more stacks."""
    old = make_tool(name="TSLint", stack_count=500)
    new = make_tool(name="ESLint", function=old.function, stack_count=10)
    services.deprecate_tool(tool=old, successor=new, actor=moderator)
    ranked = list(Tool.objects.approved().filter(function=old.function).ranked())
    assert ranked == [new, old]
    old.refresh_from_db()
    assert old.successor == new


@pytest.mark.django_db
def test_author_cannot_vote_for_their_own_point(member, other_member):
    """A self-vote is refused and counts nothing; withdrawing is always allowed."""
    procon = make_procon(tool=make_tool(), author=member)
    with pytest.raises(ValidationError, match="you added yourself"):
        services.vote_for_procon(user=member, procon=procon)
    services.vote_for_procon(user=other_member, procon=procon)
    services.withdraw_procon_vote(user=member, procon=procon)
    procon.refresh_from_db()
    assert procon.vote_count == 1
    assert list(procon.votes.values_list("user", flat=True)) == [other_member.pk]


@pytest.mark.django_db
def test_suspended_member_cannot_vote(member, other_member, moderator):
    tool = make_tool()
    procon = make_procon(tool=tool, author=other_member)
    suspend_member(member=member, actor=moderator)
    with pytest.raises(SuspendedError):
        services.vote_for_procon(user=member, procon=procon)
    with pytest.raises(SuspendedError):
        services.vote_for_tool(user=member, tool=tool)
    tool.refresh_from_db()
    procon.refresh_from_db()
    assert (tool.vote_count, procon.vote_count) == (0, 0)


# Synonyms --------------------------------------------------------------------


def test_a_synonym_finds_its_tool_and_no_other(db, moderator):
    kubernetes = make_tool(name="Kubernetes")
    nomad = make_tool(name="Nomad")
    add_synonym(term="k8s", tool=kubernetes)
    assert [t.name for t in search_tools("K8S")[:1]] == ["Kubernetes"]
    for term, tool in [
        ("k8s", nomad),  # another tool's synonym
        ("K 8 s", nomad),  # compared as search compares
        ("No-mad", kubernetes),  # another tool's name
        ("k8s", kubernetes),  # already there
    ]:
        with pytest.raises(ValidationError):
            check_synonym(term=term, tool=tool)
    with pytest.raises(ValidationError):
        check_synonym(term=" .- ", tool=nomad)
    delete_synonyms(synonyms=list(kubernetes.synonyms.all()), actor=moderator)
    assert search_tools("k8s")[:1] == []


def test_merging_moves_synonyms_and_package_names_to_the_survivor(db, moderator):
    old = make_tool(name="Elastic Search Old")
    target = make_tool(name="Elasticsearch")
    add_synonym(term="es", tool=old)
    make_alias(tool=old, package="pypi:elasticsearch-dsl")
    services.merge_tools(source=old, target=target, actor=moderator)
    assert [t.name for t in search_tools("es")[:1]] == ["Elasticsearch"]
    assert [t.name for t in search_tools("elasticsearch-dsl")[:1]] == ["Elasticsearch"]


def test_a_submitted_tool_is_found_once_approved(db, member, moderator):
    tool = services.submit_tool(
        submitted_by=member, name="Zorblax", function=make_tool().function
    )
    assert search_tools("zorblax")[:1] == []
    services.approve_tool(tool=tool, actor=moderator)
    assert [t.name for t in search_tools("zorblax")[:1]] == ["Zorblax"]
