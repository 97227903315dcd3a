from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from decisions.tests.factories import make_decision
from feeds.models import Reading
from tools import services
from tools.tests.factories import make_procon, make_tool

ATOM = "{http://www.w3.org/2005/Atom}"
SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(1)">'


def summaries(response) -> list[str]:
    """Each entry's summary as a feed reader renders it: the HTML it holds."""
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    found = []
    for entry in root.iter(f"{ATOM}entry"):
        summary = entry.find(f"{ATOM}summary")
        assert summary is not None
        assert summary.get("type") == "html"
        found.append(summary.text or "")
    return found


@pytest.mark.django_db
def test_pros_and_cons_in_a_tool_feed_show_as_text_not_markup(client):
    """A pro or con carrying a script or an image with a handler reaches
    feed readers as visible text, never as markup they would run."""
    tool = make_tool(name="Flask")
    make_procon(tool=tool, text=f"Fast {SCRIPT}")
    make_procon(tool=tool, text=f"Small {IMAGE}", kind="con")
    texts = summaries(client.get(reverse("feeds:atom_tool", args=[tool.slug])))
    assert sorted(texts) == sorted(
        [
            "Fast &lt;script&gt;alert(1)&lt;/script&gt;",
            "Small &lt;img src=x onerror=&quot;alert(1)&quot;&gt;",
        ]
    )
    assert not any("<script" in text or "<img" in text for text in texts)


@pytest.mark.django_db
@pytest.mark.parametrize("feed", ["atom_new_tools", "atom_category"])
def test_taglines_in_new_tool_feeds_show_as_text_not_markup(client, feed):
    tool = make_tool(name="Sneaky", tagline=f"{IMAGE} quick")
    args = [tool.function.slug] if feed == "atom_category" else []
    texts = summaries(client.get(reverse(f"feeds:{feed}", args=args)))
    assert texts == ["&lt;img src=x onerror=&quot;alert(1)&quot;&gt; quick"]


@pytest.mark.django_db
def test_private_feed_escapes_names_in_the_reason(client, member):
    """The reason line names what the member follows; a tool named with
    markup still reaches the reader as text."""
    tool = make_tool(name=f"Evil {SCRIPT}", slug="evil")
    services.follow_tool(user=member, tool=tool)
    make_procon(tool=tool, text="Point")
    reading, _ = Reading.objects.get_or_create(user=member)
    texts = summaries(client.get(reading.private_feed_url()))
    assert texts
    assert all("<script" not in text for text in texts)
    assert any("&lt;script&gt;" in text for text in texts)


@pytest.mark.django_db
def test_decision_bodies_in_feeds_stay_sanitised_html(client, member):
    """Decision bodies are Markdown rendered to an allow-list of HTML, so the
    feed keeps their formatting and drops scripts and handlers."""
    make_decision(author=member, body=f"**Bold** {SCRIPT} {IMAGE}")
    (text,) = summaries(client.get(reverse("feeds:atom_decisions")))
    assert "<strong>Bold</strong>" in text
    assert "<script" not in text
    assert "onerror" not in text
