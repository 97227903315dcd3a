from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.moderators import MODERATORS_GROUP
from accounts.tests.admin_roles import admin_client


@pytest.mark.django_db
def test_admin_refuses_members_without_staff_status(member_client):
    """A signed-in member who is not staff is sent to the admin login."""
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_is_titled_for_the_site(client, staff):
    response = admin_client(client, staff).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "stackshare back office" in response.content.decode()


@pytest.mark.django_db
def test_moderators_group_can_work_on_members(client, moderator):
    """The data migration gives Moderators what they need to manage members."""
    group = Group.objects.get(name=MODERATORS_GROUP)
    assert group.permissions.filter(codename="change_user").exists()
    client = admin_client(client, moderator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
