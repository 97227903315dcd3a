"""A member's avatar wherever they are shown: picture, else initials."""

from __future__ import annotations

import re

from django.utils.html import escape

from accounts.tests.factories import image_upload, make_member
from decisions.tests.factories import make_comment, make_decision


def test_a_post_shows_its_author_and_commenters_by_initials_or_picture(client, db):
    author = make_member(username="ada", display_name="Ada <b>Lovelace</b>")
    commenter = make_member(username="grace")
    commenter.avatar = image_upload("grace.png", size=(48, 48))
    commenter.save()
    post = make_decision(author=author)
    make_comment(decision=post, author=commenter)

    html = client.get(post.get_absolute_url()).content.decode()

    initials = re.findall(
        r'<span class="avatar avatar--(\w+) avatar--c(\d)" aria-hidden="true">([^<]*)</span>',
        html,
    )
    assert {size for size, _colour, _letters in initials} >= {"md", "lg"}
    assert {(int(colour), letters) for _size, colour, letters in initials} == {
        (author.avatar_colour, escape(author.initials))
    }
    assert "<b>" not in "".join(letters for *_, letters in initials)
    pictures = re.findall(
        r'<img class="avatar avatar--(\w+)" src="([^"]+)" alt="">', html
    )
    assert pictures == [("sm", commenter.avatar.url)]
