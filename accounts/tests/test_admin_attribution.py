"""Who wrote or owns a row: only superusers reassign authors and owners in the back office."""

from __future__ import annotations

import pytest

from accounts.tests.admin_objects import OBJECTS, _url
from accounts.tests.admin_roles import (
    MODERATOR,
    SUPERUSER,
    TRUSTED_STAFF,
    admin_client,
    make_role,
)
from decisions.tests.factories import make_decision
from stacks.tests.factories import make_company

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("moderators_group", "_task_queue"),
]


ATTRIBUTION = [
    ("tools.Tool", "submitted_by"),
    ("tools.ProCon", "author"),
    ("stacks.Company", "created_by"),
    ("stacks.CompanyMembership", "user"),
    ("stacks.CompanyMembership", "company"),
    ("stacks.Stack", "owner_user"),
    ("stacks.Stack", "company"),
    ("decisions.Decision", "author"),
]


@pytest.mark.parametrize(("label", "field"), ATTRIBUTION)
@pytest.mark.parametrize("role", [MODERATOR, TRUSTED_STAFF, SUPERUSER])
def test_only_superusers_reassign_authors_and_owners(client, role, label, field):
    """Not a field of anyone else's change form, so a posted value is dropped."""
    obj = OBJECTS[label]()
    response = admin_client(client, make_role(role)).get(_url(obj, "change"))
    assert response.status_code == 200
    assert (field in response.context["adminform"].form.fields) == (role == SUPERUSER)


def test_membership_rows_keep_their_member_for_moderators(client, moderator):
    """On a company's page a moderator changes roles, never whose role it is."""
    company = make_company()
    response = admin_client(client, moderator).get(_url(company, "change"))
    (memberships,) = response.context["inline_admin_formsets"]
    assert "user" not in memberships.formset.forms[0].fields
    assert "role" in memberships.formset.forms[0].fields
    assert not memberships.has_add_permission


def test_moderator_cannot_put_a_post_in_someone_elses_name(client, moderator):
    """A crafted author on a post's form leaves the author as it was."""
    decision = make_decision()
    author = decision.author
    client = admin_client(client, moderator)
    page = client.get(_url(decision, "change"))
    (tools,) = page.context["inline_admin_formsets"]
    management = tools.formset.management_form
    data = {
        "kind": decision.kind,
        "title": "A corrected title",
        "body": decision.body,
        "author": moderator.pk,
        **{
            f"{management.prefix}-{name}": value
            for name, value in management.initial.items()
        },
    }
    for index, form in enumerate(tools.formset.forms):
        data[f"{tools.formset.prefix}-{index}-id"] = form.instance.pk
        data[f"{tools.formset.prefix}-{index}-decision"] = decision.pk
        for name in form.fields:
            value = form.initial.get(name)
            if name not in {"id", "decision", "DELETE"} and value is not None:
                data[f"{tools.formset.prefix}-{index}-{name}"] = value
    response = client.post(_url(decision, "change"), data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.title == "A corrected title"
    assert decision.author == author
