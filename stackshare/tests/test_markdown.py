"""Member-written Markdown: safe HTML, and each text rendered on its own."""

from __future__ import annotations

from stackshare.markdown import plain_text, render_markdown


def test_scripts_and_javascript_links_are_removed():
    html = render_markdown("Hi <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<script" not in html
    assert "javascript:" not in html


def test_one_text_leaves_nothing_behind_for_the_next():
    """The converter is reused: a link reference or a code block of one
    text must not show up in the next."""
    first = render_markdown(
        "See [the docs][d].\n\n[d]: https://example.com/first\n\n```\ncode\n```"
    )
    second = render_markdown("See [the docs][d].")
    assert 'href="https://example.com/first"' in first
    assert "<pre><code>code" in first
    assert "example.com/first" not in second
    assert "<pre>" not in second
    assert second == "<p>See [the docs][d].</p>"


def test_plain_text_keeps_blocks_apart_and_reads_entities():
    """Excerpts and page descriptions: Django's striptags left "&amp;" in,
    which the page escaped again ("Weights &amp;amp; Biases"), and ran one
    paragraph into the next ("Biases.What")."""
    html = render_markdown(
        'We chose Weights & Biases.\n\nWhat tipped it: **"speed"**.\n\n- one\n- two'
    )
    assert (
        plain_text(html)
        == 'We chose Weights & Biases. What tipped it: "speed". one two'
    )
