"""Reporting posts and comments to the moderators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from decisions.models import Report
from decisions.tests.factories import make_comment, make_decision

pytestmark = pytest.mark.django_db


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


def test_reporting_is_rate_limited(member_client, settings):
    settings.RATE_LIMITS = {"report": (1, 3600)}
    decision = make_decision()
    url = reverse("decisions:report", args=[decision.pk])
    assert member_client.post(url, {"reason": "spam"}).status_code == 302
    response = member_client.post(url, {"reason": "spam"})
    assert response.status_code == 429
    assert "1 reports per hour" in response.content.decode()
    assert Report.objects.count() == 1
