"""Writing posts: the kind, the form with its tool pickers, preview, publishing, editing, deleting."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.services import suspend_member
from decisions.models import Decision, ToolRole
from decisions.tests.factories import make_comment, make_decision
from tools.tests.factories import make_tool

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
        assert f'hx-get="{autocomplete}?for=picker"' in field.group(0)
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


def test_picking_a_tool_before_writing_shows_no_errors(member_client):
    """A tool picked first, with the title still empty, is added without
    "give your post a title": the text is judged on publishing, and what
    was typed so far comes back."""
    make_tool(name="Flask")
    url = f"{reverse('decisions:create')}?kind=decided"
    response = member_client.post(
        url,
        {
            "title": "",
            "body": "Half a thought",
            "chosen_add": "Flask",
            "chosen_pick": "flask",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert [t.slug for t in response.context["picker"].chosen] == ["flask"]
    assert not response.context["form"].errors
    content = response.content.decode()
    assert "Give your post a title" not in content
    assert "Half a thought" in content


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
