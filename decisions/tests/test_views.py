from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.services import suspend_member
from accounts.tests.factories import make_member
from decisions import services
from decisions.models import Comment, Decision, DecisionKind, Report, ToolRole
from decisions.tests.factories import make_comment, make_decision
from decisions.views.reading import THREADS_SHOWN
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_form(client, *, kind="decided", url=None, **data):
    url = url or f"{reverse('decisions:create')}?kind={kind}"
    data.setdefault("title", "Why we picked Flask for the API")
    data.setdefault(
        "body", "We needed something small that the whole team already knew well."
    )
    data.setdefault("intent", "publish")
    return client.post(url, data)


# The list -----------------------------------------------------------------


def test_list_shows_visible_posts_only(client, moderator):
    shown = make_decision(title="Shown decision")
    hidden = make_decision(title="Hidden decision")
    gone = make_decision(title="Deleted decision")
    services.hide_decision(decision=hidden, actor=moderator)
    services.delete_decision(decision=gone, actor=gone.author)
    content = client.get(reverse("decisions:list")).content.decode()
    assert shown.title in content
    assert "Hidden decision" not in content
    assert "Deleted decision" not in content


def test_list_filters_by_kind_tool_company_and_layer(client):
    layer = make_category(name="DevOps", level=1)
    ci = make_category(name="CI", parent=make_category(name="Pipelines", parent=layer))
    jenkins = make_tool(name="Jenkins", function=ci)
    flask = make_tool(name="Flask")
    acme = make_member(company_name="Acme")
    a = make_decision(title="Jenkins at Acme", chosen=[jenkins], author=acme)
    b = make_decision(
        title="Flask question", kind=DecisionKind.ADVICE, considered=[flask]
    )
    url = reverse("decisions:list")

    def titles(**params):
        return [d.title for d in client.get(url, params).context["page"].object_list]

    assert titles(kind="advice") == [b.title]
    assert titles(tool="flask") == [b.title]
    assert titles(tool="FLASK ") == [b.title]
    assert titles(company="acme") == [a.title]
    assert titles(layer="devops") == [a.title]
    assert titles(layer="nope") == [
        b.title,
        a.title,
    ]  # invalid choice: ignored, form shows error


def test_list_sorts(client):
    old = make_decision(title="Old but popular", upvote_count=9, view_count=1)
    advice = make_decision(title="Open question", kind=DecisionKind.ADVICE)
    answered = make_decision(title="Answered question", kind=DecisionKind.ADVICE)
    make_comment(decision=answered)
    viewed = make_decision(title="Much read", view_count=500)
    url = reverse("decisions:list")

    def first(sort):
        return client.get(url, {"sort": sort}).context["page"].object_list[0]

    assert first("newest") == viewed
    assert first("upvoted") == old
    assert first("viewed") == viewed
    assert first("unanswered") == advice


def test_list_htmx_answers_a_fragment(client):
    make_decision(title="Fragment me")
    response = client.get(reverse("decisions:list"), {"kind": "decided"}, headers=HTMX)
    content = response.content.decode()
    assert "Fragment me" in content
    assert "<html" not in content


def test_list_query_count_is_flat(member_client, django_assert_num_queries):
    """The list costs the same queries for 1 or 11 posts, with tags."""
    make_decision(kind=DecisionKind.ADVICE, considered=[make_tool()])
    # session, user, layers, count, page of posts with authors, their tags with tools
    with django_assert_num_queries(6):
        member_client.get(reverse("decisions:list"), {"sort": "unanswered"})
    for _ in range(10):
        make_decision(chosen=[make_tool()], considered=[make_tool(), make_tool()])
    with django_assert_num_queries(6):
        member_client.get(reverse("decisions:list"), {"sort": "unanswered"})


# The post -------------------------------------------------------------------


def test_detail_shows_author_line_tools_body_and_threads(client):
    author = make_member(
        display_name="Timo", job_title="Head of Platform", company_name="Acme"
    )
    flask, django = make_tool(name="Flask"), make_tool(name="Django")
    decision = make_decision(
        author=author, chosen=[flask], considered=[django], body="Plain **bold**"
    )
    top = make_comment(decision=decision, body="First thoughts")
    make_comment(decision=decision, parent=top, body="A reply to them")
    response = client.get(decision.get_absolute_url())
    content = response.content.decode()
    assert "Head of Platform at Acme" in content
    assert "<strong>bold</strong>" in content
    assert "Chose" in content
    assert "Also considered" in content
    assert "First thoughts" in content
    assert "A reply to them" in content
    assert response.context["threads"][0].replies[0].comment.body == "A reply to them"


def test_detail_with_wrong_slug_redirects_to_canonical(client):
    decision = make_decision(title="Why we chose Go")
    response = client.get(
        reverse("decisions:detail_slug", args=[decision.pk, "old-title"])
    )
    assert response.status_code == 301
    assert response.url == decision.get_absolute_url()
    assert (
        client.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200
    )


def test_detail_query_budget_is_flat(member_client, django_assert_num_queries):
    """One comment or a hundred, the post page costs the same."""
    decision = make_decision()
    make_comment(decision=decision)
    url = decision.get_absolute_url()
    member_client.get(url)  # the first view of the day adds an UPDATE
    # session, user, post with author, tags with tools, comments with authors,
    # upvoted?, the migration it declares and its record (changes app)
    with django_assert_num_queries(8):
        member_client.get(url)
    top = make_comment(decision=decision)
    for i in range(99):
        make_comment(decision=decision, parent=top if i % 2 else None)
    with django_assert_num_queries(8):
        response = member_client.get(url)
    assert response.context["decision"].comment_count == 101


def test_views_are_counted_once_per_visitor_and_not_for_the_author(
    client, member, other_member
):
    decision = make_decision(author=member)
    client.force_login(other_member)
    client.get(decision.get_absolute_url())
    client.get(decision.get_absolute_url())
    client.force_login(member)
    client.get(decision.get_absolute_url())
    decision.refresh_from_db()
    assert decision.view_count == 1


def test_a_reader_sees_their_view_counted_once_a_day(client, member, other_member):
    """The page a reader opens shows their view; a reload the same day does
    not add another."""
    decision = make_decision(author=member)
    client.force_login(other_member)
    assert "1 view" in client.get(decision.get_absolute_url()).content.decode()
    assert "1 view" in client.get(decision.get_absolute_url()).content.decode()
    decision.refresh_from_db()
    assert decision.view_count == 1


def test_hidden_post_is_shown_to_its_author_marked_and_hidden_from_others(
    client, member, other_member, moderator
):
    decision = make_decision(author=member, title="Controversial take")
    services.hide_decision(decision=decision, actor=moderator, reason="Off topic")
    assert client.get(decision.get_absolute_url()).status_code == 404
    client.force_login(other_member)
    assert client.get(decision.get_absolute_url()).status_code == 404
    client.force_login(member)
    content = client.get(decision.get_absolute_url()).content.decode()
    assert "Hidden by a moderator" in content
    assert "Off topic" in content
    client.force_login(moderator)
    assert client.get(decision.get_absolute_url()).status_code == 200


def test_deleted_post_says_so(client):
    decision = make_decision()
    services.delete_decision(decision=decision, actor=decision.author)
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 410
    assert "deleted" in response.content.decode()


def test_deleted_comment_with_replies_stays_as_a_placeholder(client):
    decision = make_decision()
    top = make_comment(decision=decision, body="Going away soon")
    make_comment(decision=decision, parent=top, body="Still here")
    lonely = make_comment(decision=decision, body="Alone and gone")
    services.delete_comment(comment=top, actor=top.author)
    services.delete_comment(comment=lonely, actor=lonely.author)
    content = client.get(decision.get_absolute_url()).content.decode()
    assert "[deleted]" in content
    assert "Still here" in content
    assert "Going away soon" not in content
    assert "Alone and gone" not in content
    assert content.count("[deleted]") == 1


def test_hidden_comment_is_marked_for_its_author_only(client, member, moderator):
    decision = make_decision()
    comment = make_comment(decision=decision, author=member, body="Spicy words")
    services.hide_comment(comment=comment, actor=moderator)
    assert "Spicy words" not in client.get(decision.get_absolute_url()).content.decode()
    client.force_login(member)
    content = client.get(decision.get_absolute_url()).content.decode()
    assert "Spicy words" in content
    assert "Hidden by a moderator" in content


def test_html_and_script_are_escaped_or_stripped_everywhere(member_client, member):
    tool = make_tool(name="Flask")
    response = post_form(
        member_client,
        title=f"Title {XSS}",
        body=f"Body text long enough to pass. {XSS} [x](javascript:alert(1)) [ok](https://example.com)",
        chosen=["flask"],
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    make_comment(decision=decision, body=f"Comment {XSS}")
    content = member_client.get(decision.get_absolute_url()).content.decode()
    assert "<script>alert" not in content
    assert "<img src=x" not in content  # the title shows it escaped, the bodies drop it
    assert 'href="javascript:' not in content
    assert 'rel="nofollow ugc noopener"' in content
    assert tool


# Writing --------------------------------------------------------------------


def test_new_asks_which_kind_first(member_client):
    content = member_client.get(reverse("decisions:create")).content.decode()
    assert "Share a decision" in content
    assert "Ask for advice" in content


def test_anonymous_readers_are_sent_to_log_in(client):
    response = client.get(f"{reverse('decisions:create')}?kind=advice")
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_member_publishes_a_decision(member_client, member):
    make_tool(name="Flask")
    make_tool(name="Django")
    response = post_form(member_client, chosen=["flask"], considered=["django"])
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == decision.get_absolute_url()
    assert decision.author == member
    assert sorted(decision.tool_tags.values_list("tool__slug", "role")) == [
        ("django", ToolRole.CONSIDERED),
        ("flask", ToolRole.CHOSEN),
    ]


def test_share_a_decision_from_a_tool_page_files_the_tool_as_chosen(
    client, member_client
):
    """The tool page's "Share a decision about X" starts a post where X is
    what the author chose; a stackup's tools start out considered."""
    postgres = make_tool(name="PostgreSQL")
    make_tool(name="MySQL")
    share = re.search(
        r'href="([^"]+)">Share a decision about PostgreSQL',
        client.get(postgres.get_absolute_url()).content.decode(),
    ).group(1)
    picker = member_client.get(share.replace("&amp;", "&")).context["picker"]
    assert [t.slug for t in picker.chosen] == ["postgresql"]
    assert picker.considered == []

    url = f"{reverse('decisions:create')}?kind=decided&tool=mysql&tool=postgresql"
    picker = member_client.get(url).context["picker"]
    assert [t.slug for t in picker.considered] == ["mysql", "postgresql"]
    # Advice chooses nothing yet: every tool it names is being weighed.
    url = f"{reverse('decisions:create')}?kind=advice&chosen=postgresql&tool=mysql"
    picker = member_client.get(url).context["picker"]
    assert [t.slug for t in picker.considered] == ["postgresql", "mysql"]


def test_typed_tool_names_are_resolved_without_javascript(member_client):
    make_tool(name="Flask")
    make_tool(name="Node.js", slug="nodejs")
    response = post_form(
        member_client, kind="advice", considered_add="flask, Node.js", intent="tools"
    )
    assert response.status_code == 200
    picker = response.context["picker"]
    assert [t.slug for t in picker.considered] == ["flask", "nodejs"]
    assert not Decision.objects.exists()


def test_picking_and_removing_with_htmx_returns_the_form(member_client):
    make_tool(name="Flask")
    make_tool(name="Rust")
    response = member_client.post(
        f"{reverse('decisions:create')}?kind=advice",
        {
            "title": "Draft",
            "body": "Kept while picking",
            "considered": ["rust"],
            "considered_pick": "flask",
        },
        headers=HTMX,
    )
    content = response.content.decode()
    assert "<html" not in content
    assert "Kept while picking" in content
    assert [t.slug for t in response.context["picker"].considered] == ["rust", "flask"]
    response = member_client.post(
        f"{reverse('decisions:create')}?kind=advice",
        {"considered": ["rust", "flask"], "drop_tool": "considered:rust"},
        headers=HTMX,
    )
    assert [t.slug for t in response.context["picker"].considered] == ["flask"]


def test_preview_renders_the_markdown_without_saving(member_client):
    response = post_form(
        member_client, body="# Head\n\n*soft* <script>x</script>", intent="preview"
    )
    assert response.status_code == 200
    assert "<em>soft</em>" in response.context["preview_html"]
    assert "<script>" not in response.context["preview_html"]
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the body of your post"),
        ("   \n  ", "Write the body of your post"),
        ("x" * 100_000, "at most 20000 characters"),
    ],
)
def test_bad_bodies_are_refused_with_a_message_and_the_draft_kept(
    member_client, body, message
):
    make_tool(name="Flask")
    response = post_form(
        member_client, body=body, chosen=["flask"], title="Keep this title"
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Keep this title" in content
    assert not Decision.objects.exists()


def test_ten_thousand_tools_are_refused_before_querying(
    member_client, django_assert_max_num_queries
):
    """Typed in the box, they are refused with a message; as separate fields, Django refuses them."""
    make_tool(name="Flask")
    names = ", ".join(f"Tool {i}" for i in range(10_000))
    with django_assert_max_num_queries(3):  # session, user, the picked tool
        response = post_form(
            member_client,
            considered_add=names,
            chosen=["flask"],
            title="Keep me please",
        )
    assert response.status_code == 400
    content = response.content.decode()
    assert "add a few tools at a time" in content
    assert "Keep me please" in content
    response = post_form(
        member_client,
        considered_add=", ".join(f"T{i}" for i in range(50)),
        chosen=["flask"],
    )
    assert "That is 50 tools; a post tags at most 10." in response.content.decode()
    response = post_form(
        member_client, considered=[f"tool-{i}" for i in range(10_000)], chosen=["flask"]
    )
    assert response.status_code == 400  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = post_form(
        member_client, considered=[f"tool-{i}" for i in range(500)], chosen=["flask"]
    )
    assert response.status_code == 400
    assert "That is 501 tools; a post tags at most 10." in response.content.decode()
    assert not Decision.objects.exists()


def test_eleven_tools_are_refused(member_client):
    for i in range(11):
        make_tool(name=f"Tool {i}", slug=f"tool-{i}")
    response = post_form(
        member_client, chosen=["tool-0"], considered=[f"tool-{i}" for i in range(1, 11)]
    )
    assert response.status_code == 400
    assert "at most 10 tools" in response.content.decode()


def test_unknown_typed_tool_keeps_the_text_and_explains(member_client):
    response = post_form(member_client, chosen_add="Flsk", kind="decided")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Not in the catalog" in content
    assert 'value="Flsk"' in content


def test_publishing_with_htmx_redirects_by_header(member_client):
    make_tool(name="Flask")
    response = member_client.post(
        f"{reverse('decisions:create')}?kind=advice",
        {
            "title": "Flask for a JSON API?",
            "body": "We want a small service, and we know Python.",
            "considered": ["flask"],
            "intent": "publish",
        },
        headers=HTMX,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == Decision.objects.get().get_absolute_url()


def test_posting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"post": (1, 3600)}
    make_tool(name="Flask")
    assert post_form(member_client, chosen=["flask"]).status_code == 302
    response = post_form(member_client, chosen=["flask"], title="Second one today")
    assert response.status_code == 429
    assert "limit of 1 posts per hour" in response.content.decode()
    assert Decision.objects.count() == 1


def test_suspended_member_cannot_open_the_form_or_post(
    member_client, member, moderator
):
    make_tool(name="Flask")
    suspend_member(member=member, actor=moderator)
    response = member_client.get(f"{reverse('decisions:create')}?kind=advice")
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert post_form(member_client, chosen=["flask"]).status_code == 403
    assert not Decision.objects.exists()


def test_only_author_or_moderator_may_edit_or_delete(
    client, member, other_member, moderator
):
    decision = make_decision(author=member)
    tool = decision.tools.get()
    edit = reverse("decisions:update", args=[decision.pk])
    delete = reverse("decisions:delete", args=[decision.pk])
    client.force_login(other_member)
    assert client.get(edit).status_code == 403
    assert (
        post_form(
            client, url=edit, chosen=[tool.slug], title="Hijacked title"
        ).status_code
        == 403
    )
    assert client.post(delete).status_code == 404
    decision.refresh_from_db()
    assert decision.title != "Hijacked title"
    assert not decision.is_deleted

    client.force_login(member)
    assert client.get(edit).status_code == 200
    assert (
        post_form(
            client, url=edit, chosen=[tool.slug], title="Better title now"
        ).status_code
        == 302
    )
    decision.refresh_from_db()
    assert decision.title == "Better title now"

    client.force_login(moderator)
    assert client.post(delete).status_code == 302
    decision.refresh_from_db()
    assert decision.is_deleted


# Comments and votes ------------------------------------------------------------


def test_member_comments_and_replies(member_client):
    decision = make_decision()
    url = reverse("decisions:comment", args=[decision.pk])
    response = member_client.post(url, {"body": "Top level"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    reply = member_client.post(url, {"body": "A reply", "parent": comment.pk})
    assert reply.status_code == 302
    nested = member_client.post(
        url, {"body": "Reply to reply", "parent": Comment.objects.latest("id").pk}
    )
    assert nested.status_code == 302
    assert Comment.objects.latest("id").parent == comment


def test_empty_comment_and_unknown_parent_are_refused(member_client):
    decision = make_decision()
    url = reverse("decisions:comment", args=[decision.pk])
    response = member_client.post(url, {"body": "   "})
    assert response.status_code == 400
    assert "Write something" in response.content.decode()
    response = member_client.post(url, {"body": "Kept text", "parent": 999999})
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    assert not Comment.objects.exists()


def test_commenting_on_hidden_or_deleted_posts_is_refused(
    member_client, member, moderator
):
    own_hidden = make_decision(author=member)
    services.hide_decision(decision=own_hidden, actor=moderator)
    response = member_client.post(
        reverse("decisions:comment", args=[own_hidden.pk]), {"body": "Can I?"}
    )
    assert response.status_code == 400
    assert "hidden by a moderator" in response.content.decode()
    other_hidden = make_decision()
    services.hide_decision(decision=other_hidden, actor=moderator)
    assert (
        member_client.post(
            reverse("decisions:comment", args=[other_hidden.pk]), {"body": "x"}
        ).status_code
        == 404
    )
    deleted = make_decision()
    services.delete_decision(decision=deleted, actor=deleted.author)
    assert (
        member_client.post(
            reverse("decisions:comment", args=[deleted.pk]), {"body": "x"}
        ).status_code
        == 410
    )
    assert not Comment.objects.exists()


def test_commenting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"comment": (2, 600)}
    decision = make_decision()
    url = reverse("decisions:comment", args=[decision.pk])
    assert member_client.post(url, {"body": "one"}).status_code == 302
    assert member_client.post(url, {"body": "two"}).status_code == 302
    response = member_client.post(url, {"body": "three"})
    assert response.status_code == 429
    assert "2 comments per 10 minutes" in response.content.decode()


def test_only_author_or_moderator_may_delete_a_comment(client, member, other_member):
    comment = make_comment(decision=make_decision(), author=member)
    url = reverse("decisions:comment_delete", args=[comment.pk])
    client.force_login(other_member)
    assert client.post(url).status_code == 403
    client.force_login(member)
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted


def test_upvote_toggles_in_place_with_htmx_and_without(member_client):
    decision = make_decision()
    url = reverse("decisions:upvote", args=[decision.pk])
    response = member_client.post(url, {"state": "on"}, headers=HTMX)
    content = response.content.decode()
    assert "<html" not in content
    assert "Upvoted" in content
    assert 'value="off"' in content
    response = member_client.post(url, {"state": "off"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.upvote_count == 0


def test_voting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"vote": (1, 60)}
    decision = make_decision()
    url = reverse("decisions:upvote", args=[decision.pk])
    member_client.post(url, {"state": "on"})
    response = member_client.post(url, {"state": "off"})
    assert response.status_code == 429
    assert "1 votes per minute" in response.content.decode()


def test_upvote_needs_a_post_and_a_login(client):
    decision = make_decision()
    url = reverse("decisions:upvote", args=[decision.pk])
    assert client.post(url).status_code == 302
    client.force_login(make_member())
    assert client.get(url).status_code == 405


# Reports ---------------------------------------------------------------------


def test_member_reports_a_post_and_a_comment(member_client, member):
    decision = make_decision()
    comment = make_comment(decision=decision)
    response = member_client.post(
        reverse("decisions:report", args=[decision.pk]),
        {"reason": "spam", "details": "Links to a shop"},
    )
    assert response.status_code == 302
    response = member_client.post(
        reverse("decisions:comment_report", args=[comment.pk]), {"reason": "abuse"}
    )
    assert response.status_code == 302
    assert Report.objects.filter(reporter=member).count() == 2
    response = member_client.post(
        reverse("decisions:report", args=[decision.pk]), {"reason": "bogus"}
    )
    assert response.status_code == 400


def test_reporting_own_post_is_refused(member_client, member):
    decision = make_decision(author=member)
    assert (
        member_client.get(reverse("decisions:report", args=[decision.pk])).status_code
        == 400
    )


def test_the_form_uses_the_shared_tool_picker(member_client):
    """Each list of tools gets the site's one tool picker: a combobox asking
    search:autocomplete, a hidden field for the slug of the suggestion picked,
    and the Add button that matches typed names without JavaScript."""
    content = member_client.get(
        f"{reverse('decisions:create')}?kind=decided"
    ).content.decode()
    autocomplete = reverse("search:autocomplete")
    for role in ("chosen", "considered"):
        field = re.search(rf'<input type="text"[^>]*name="{role}_add"[^>]*>', content)
        assert field is not None
        assert f'hx-get="{autocomplete}"' in field.group(0)
        assert 'role="combobox"' in field.group(0)
        assert (
            f'<input type="hidden" name="{role}_pick" value="" data-picker-slug>'
            in content
        )
    assert content.count("data-submit-on-pick") == 2
    assert "tool-options" not in content


def test_the_shared_autocomplete_answers_the_pickers_query(member_client):
    """The picker asks the site's autocomplete, whose options carry the slug
    and name the picker puts into the form."""
    make_tool(name="Flask")
    response = member_client.get(
        reverse("search:autocomplete"), {"q": "fla"}, headers=HTMX
    )
    assert 'data-slug="flask" data-name="Flask"' in response.content.decode()


def test_picking_a_suggestion_replaces_the_text_typed_to_find_it(member_client):
    make_tool(name="Rust")
    response = post_form(
        member_client,
        kind="advice",
        considered_add="Rust",
        considered_pick="rust",
        intent="tools",
    )
    picker = response.context["picker"]
    assert [t.slug for t in picker.considered] == ["rust"]
    assert not picker.has_errors
    assert picker.typed["considered"] == ""


def test_picking_a_suggestion_never_publishes(member_client):
    """The picker submits its form without a button, so no intent is sent:
    a pick adds the tool and returns the form, even when the post is ready,
    and the picker that was used gets the focus back."""
    make_tool(name="Flask")
    make_tool(name="Django")
    url = f"{reverse('decisions:create')}?kind=decided"
    response = member_client.post(
        url,
        {
            "title": "Why we picked Flask for the API",
            "body": "We needed something small that the whole team already knew.",
            "chosen": ["flask"],
            "considered_add": "Django",
            "considered_pick": "django",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()
    picker = response.context["picker"]
    assert [t.slug for t in picker.chosen] == ["flask"]
    assert [t.slug for t in picker.considered] == ["django"]
    content = response.content.decode()
    assert re.search(r'name="considered_add"[^>]*autofocus', content, re.DOTALL)
    assert not re.search(r'name="chosen_add"[^>]*autofocus', content)


def test_a_refused_post_keeps_its_tools_in_the_pickers(member_client):
    """A post refused for its title keeps every tool tagged so far, and what
    was typed into a picker, for the member to fix and send again."""
    make_tool(name="Flask")
    make_tool(name="Django")
    response = post_form(
        member_client,
        title="Short",
        chosen=["flask"],
        considered=["django"],
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert '<input type="hidden" name="chosen" value="flask">' in content
    assert '<input type="hidden" name="considered" value="django">' in content
    assert not Decision.objects.exists()


def test_long_discussions_open_on_their_latest_threads(client, member):
    """The page shows the 30 most recently active threads and links to the rest;
    a comment's own link opens every thread, so it is always found."""
    post = make_decision(author=member)
    oldest = make_comment(decision=post, body="The very first thread.")
    for n in range(THREADS_SHOWN + 4):
        make_comment(decision=post, body=f"Thread number {n}.")
    page = client.get(post.get_absolute_url()).content.decode()
    assert f"Thread number {THREADS_SHOWN + 3}." in page
    assert "The very first thread." not in page
    assert "Show 5 older threads" in page
    everything = client.get(oldest.get_absolute_url().split("#")[0])
    assert "The very first thread." in everything.content.decode()
    assert everything.context["more_threads"] == 0


def test_author_sees_no_upvote_button_and_cannot_upvote(member_client, member):
    """The author reads the count without a button; a forged upvote gets a 400
    with the reason, in place of the page for htmx, and counts nothing."""
    decision = make_decision(author=member)
    url = reverse("decisions:upvote", args=[decision.pk])
    content = member_client.get(decision.get_absolute_url()).content.decode()
    assert url not in content
    response = member_client.post(url, {"state": "on"})
    assert response.status_code == 400
    assert "You cannot upvote your own post." in response.content.decode()
    response = member_client.post(url, {"state": "on"}, headers=HTMX)
    assert response.status_code == 400
    assert "<html" not in response.content.decode()
    assert response["HX-Retarget"] == "#main"
    decision.refresh_from_db()
    assert decision.upvote_count == 0


def test_reporting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"report": (1, 3600)}
    decision = make_decision()
    url = reverse("decisions:report", args=[decision.pk])
    assert member_client.post(url, {"reason": "spam"}).status_code == 302
    response = member_client.post(url, {"reason": "spam"})
    assert response.status_code == 429
    assert "1 reports per hour" in response.content.decode()
    assert Report.objects.count() == 1
