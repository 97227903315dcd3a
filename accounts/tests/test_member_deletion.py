"""A member deleted in the back office leaves every count as if they had
taken back, one by one, what they followed, voted for and wrote."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from accounts.services import follow_member
from accounts.tests.factories import make_member, sign_in_with_mfa
from decisions import services as decision_services
from decisions.models import Decision
from decisions.tests.factories import make_comment, make_decision
from stacks.models import Company, CompanyMembership, Role
from stacks.services import follow_company
from stacks.tests.factories import make_company, make_membership
from tools import services as tool_services
from tools.models import Category, ProCon, Tool
from tools.tests.factories import make_category, make_procon, make_tool


def test_a_deleted_member_is_taken_out_of_every_count(client, staff):
    leaving, staying = make_member(username="leaving"), make_member()
    tool, category = make_tool(name="Rust"), make_category(name="Languages")
    procon = make_procon(tool=tool, author=staying)
    company = make_company(name="Acme", owner=staying)
    post = make_decision(author=staying)
    tool_services.follow_tool(user=leaving, tool=tool)
    tool_services.vote_for_tool(user=leaving, tool=tool)
    tool_services.follow_category(user=leaving, category=category)
    tool_services.vote_for_procon(user=leaving, procon=procon)
    follow_member(follower=leaving, followed=staying)
    follow_company(user=leaving, company=company)
    decision_services.upvote_decision(user=leaving, decision=post)
    # Their comment goes, and the reply to it; another member's stays.
    theirs = make_comment(decision=post, author=leaving)
    make_comment(decision=post, author=staying, parent=theirs)
    make_comment(decision=post, author=staying)
    their_post = make_decision(author=leaving, chosen=[tool])

    sign_in_with_mfa(client, staff)
    client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"}
    )

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Decision.objects.filter(pk=their_post.pk).exists()
    rust = Tool.objects.get(pk=tool.pk)
    assert (rust.follower_count, rust.vote_count) == (0, 0)
    assert Category.objects.get(pk=category.pk).follower_count == 0
    assert ProCon.objects.get(pk=procon.pk).vote_count == 0
    assert User.objects.get(pk=staying.pk).follower_count == 0
    assert Company.objects.get(pk=company.pk).follower_count == 0
    post = Decision.objects.get(pk=post.pk)
    assert (post.upvote_count, post.comment_count) == (0, 1)
    assert post.comments.count() == 1


def test_a_deleted_only_owner_hands_the_company_to_its_longest_standing_editor(
    client, staff
):
    leaving = make_member(username="leaving")
    acme = make_company(name="Acme", owner=leaving)
    make_membership(company=acme, user=make_member(username="newer-member"))
    first_editor = make_member(username="first-editor")
    make_membership(company=acme, user=first_editor, role=Role.EDITOR)
    make_membership(company=acme, user=make_member(), role=Role.EDITOR)
    # A company they share with another owner keeps that owner alone.
    shared = make_company(name="Shared", owner=leaving)
    co_owner = make_member(username="co-owner")
    make_membership(company=shared, user=co_owner, role=Role.OWNER)
    make_membership(company=shared, user=make_member(), role=Role.EDITOR)
    # A company of theirs alone stays, without members, for the moderators.
    solo = make_company(name="Solo", owner=leaving)

    sign_in_with_mfa(client, staff)
    client.post(
        reverse("admin:accounts_user_delete", args=[leaving.pk]), {"post": "yes"}
    )

    def owners(company):
        return set(
            CompanyMembership.objects.owners()
            .filter(company=company)
            .values_list("user__username", flat=True)
        )

    assert owners(acme) == {"first-editor"}
    assert owners(shared) == {"co-owner"}
    assert Company.objects.filter(pk=solo.pk).exists()
    assert not CompanyMembership.objects.filter(company=solo).exists()
