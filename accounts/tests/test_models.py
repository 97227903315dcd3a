from __future__ import annotations

import pytest

from accounts.tests.factories import make_member


@pytest.mark.django_db
def test_headline_reads_like_a_byline():
    """The job line joins title and company as "VP of Engineering at Acme"."""
    member = make_member(job_title="VP of Engineering", company_name="Acme")
    assert member.headline == "VP of Engineering at Acme"
    member.company_name = ""
    assert member.headline == "VP of Engineering"


@pytest.mark.django_db
def test_name_and_initials_fall_back_to_username():
    """Without a display name the user name is shown, and initials come from it."""
    member = make_member(username="zed")
    assert member.name == "zed"
    assert member.initials == "ZE"
    member.display_name = "Margaret Hamilton"
    assert member.initials == "MH"


@pytest.mark.django_db
def test_avatar_colour_is_stable_per_member():
    """The generated avatar keeps its colour from one page to the next."""
    first = make_member(username="colour-a")
    again = type(first).objects.get(pk=first.pk)
    assert first.avatar_colour == again.avatar_colour
    assert 0 <= first.avatar_colour < 8
