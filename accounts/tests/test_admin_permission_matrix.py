"""Who may do what in the back office, tried over HTTP.

The matrix walks the admin registry: every registered model, for each role,
is viewed (list and change form), added, changed, deleted and put through
each of its admin actions, and what answers must match `EXPECTED` below. A
model registered without an entry there fails the suite, so each new model
admin comes with a decision about who may use it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.http.response import HttpResponseBase
from django.test import Client

from accounts.models import User
from accounts.tests.admin_objects import OBJECTS, _exists, _messages, _url
from accounts.tests.admin_roles import (
    MODERATOR,
    ROLES,
    STAFF,
    SUPERUSER,
    TRUSTED_STAFF,
    admin_client,
    make_role,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("moderators_group", "_task_queue"),
]


# --- Expectations ------------------------------------------------------------

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
CRUD = frozenset({VIEW, ADD, CHANGE, DELETE})
NOTHING: frozenset[str] = frozenset()


def only_superusers(*operations: str) -> dict[str, frozenset[str]]:
    """Account security and secrets: no permission opens them to others."""
    return {
        MODERATOR: NOTHING,
        STAFF: NOTHING,
        TRUSTED_STAFF: NOTHING,
        SUPERUSER: frozenset(operations),
    }


def by_permission(moderator: set[str], *operations: str) -> dict[str, frozenset[str]]:
    """Open to what a role's permissions allow: staff with every permission
    may do what a superuser may."""
    return {
        MODERATOR: frozenset(moderator),
        STAFF: NOTHING,
        TRUSTED_STAFF: frozenset(operations),
        SUPERUSER: frozenset(operations),
    }


# Model label -> role -> operations ("view", "add", "change", "delete" and
# admin action names) that must succeed; every other one must be refused.
EXPECTED: dict[str, dict[str, frozenset[str]]] = {
    "auth.Group": only_superusers(*CRUD, "delete_selected"),
    "account.EmailAddress": only_superusers(*CRUD, "delete_selected", "make_verified"),
    "socialaccount.SocialApp": only_superusers(*CRUD, "delete_selected"),
    "socialaccount.SocialToken": only_superusers(*CRUD, "delete_selected"),
    "socialaccount.SocialAccount": only_superusers(*CRUD, "delete_selected"),
    # Listed and deleted, never shown or edited: their data is the secret.
    "mfa.Authenticator": only_superusers(VIEW, DELETE, "delete_selected"),
    "usersessions.UserSession": only_superusers(*CRUD, "delete_selected"),
    # The task queue: read-only for everyone, and for staff only when given
    # the permission; moderators have no business there.
    "django_tasks_database.DBTaskResult": by_permission(set(), VIEW),
    "accounts.User": {
        MODERATOR: frozenset({VIEW, CHANGE, "suspend_selected", "reinstate_selected"}),
        STAFF: NOTHING,
        # Creating an account (which sets a password) and deleting one are
        # for superusers, whatever permissions say.
        TRUSTED_STAFF: frozenset(
            {VIEW, CHANGE, "suspend_selected", "reinstate_selected"}
        ),
        SUPERUSER: frozenset(
            {*CRUD, "delete_selected", "suspend_selected", "reinstate_selected"}
        ),
    },
    "accounts.ModerationEvent": by_permission({VIEW}, VIEW),
    "tools.Tool": by_permission(
        {VIEW, CHANGE, "approve_selected", "reject_selected", "merge_selected"},
        *CRUD,
        "delete_selected",
        "approve_selected",
        "reject_selected",
        "merge_selected",
    ),
    "tools.Category": by_permission({VIEW, ADD, CHANGE}, *CRUD, "delete_selected"),
    "tools.ProCon": by_permission(
        {VIEW, CHANGE, "hide_selected", "restore_selected"},
        *CRUD,
        "delete_selected",
        "hide_selected",
        "restore_selected",
    ),
    "tools.ToolRedirect": by_permission({VIEW}, *CRUD, "delete_selected"),
    # Counted by the site: read, and cleared once the catalog answers them.
    "search.ZeroResultQuery": by_permission(
        {VIEW, DELETE, "delete_selected"}, VIEW, DELETE, "delete_selected"
    ),
    # Counted by scans, never added by hand; moderators turn demand into
    # tools and aliases, and only trusted staff clear rows away.
    "tools.UnknownPackage": by_permission(
        {VIEW, CHANGE, "create_tool", "make_alias"},
        VIEW,
        CHANGE,
        DELETE,
        "delete_selected",
        "create_tool",
        "make_alias",
    ),
    # Synonyms are catalog curation, like aliases.
    "tools.Synonym": by_permission(
        {*CRUD, "delete_selected"}, *CRUD, "delete_selected"
    ),
    "stacks.Company": by_permission({VIEW, CHANGE}, *CRUD, "delete_selected"),
    "stacks.CompanyMembership": by_permission({VIEW, CHANGE}, *CRUD, "delete_selected"),
    "stacks.Stack": by_permission({VIEW, CHANGE}, *CRUD, "delete_selected"),
    "stacks.StackItem": by_permission(
        {VIEW, CHANGE}, VIEW, CHANGE, DELETE, "delete_selected"
    ),
    "stacks.StackHistory": by_permission({VIEW}, VIEW, DELETE, "delete_selected"),
    "stacks.ToolPairing": by_permission({VIEW}, VIEW, DELETE, "delete_selected"),
    "stackups.Stackup": by_permission(
        {VIEW, CHANGE}, VIEW, CHANGE, DELETE, "delete_selected"
    ),
    "decisions.Decision": by_permission(
        {VIEW, CHANGE, "hide_selected", "restore_selected"},
        VIEW,
        CHANGE,
        DELETE,
        "delete_selected",
        "hide_selected",
        "restore_selected",
    ),
    "decisions.Comment": by_permission(
        {VIEW, CHANGE, "hide_selected", "restore_selected"},
        VIEW,
        CHANGE,
        DELETE,
        "delete_selected",
        "hide_selected",
        "restore_selected",
    ),
    # Derived from the stacks' history: read only, for everyone.
    "changes.Move": by_permission({VIEW}, VIEW),
    # A wrong declared move is taken off its decision; authors declare them.
    "changes.DecisionMove": by_permission(
        {VIEW, DELETE, "delete_selected"}, VIEW, DELETE, "delete_selected"
    ),
    # Rings are the company's; a moderator corrects one (through set_ring,
    # so it enters the history) but never deletes or invents one.
    "changes.RadarEntry": by_permission({VIEW, CHANGE}, VIEW, CHANGE),
    "changes.DecisionRecord": by_permission({VIEW, CHANGE}, VIEW, CHANGE),
    # Drafts are private to their company until published.
    "changes.DraftDecision": by_permission(set(), VIEW),
    "decisions.Report": by_permission(
        {VIEW, CHANGE, "hide_content", "restore_content", "dismiss_selected"},
        VIEW,
        CHANGE,
        DELETE,
        "delete_selected",
        "hide_content",
        "restore_content",
        "dismiss_selected",
    ),
}

REGISTERED = sorted(model._meta.label for model in admin.site._registry)


def model_admin(label: str) -> admin.ModelAdmin[Any]:
    return admin.site.get_model_admin(apps.get_model(label))


def defined_actions(label: str) -> set[str]:
    """Every action the model admin defines, before any permission check."""
    base_actions = model_admin(label)._get_base_actions()  # type: ignore[attr-defined]  # private to Django, not in django-stubs
    return {action.name for action in base_actions}


# --- The registry and the table agree ----------------------------------------


def test_every_registered_model_has_an_entry():
    """A model admin nobody has decided about fails here."""
    missing = sorted(set(REGISTERED) - set(EXPECTED))
    assert not missing, f"Add these to EXPECTED and OBJECTS: {missing}"
    assert set(REGISTERED) <= set(OBJECTS)


def test_every_entry_is_a_registered_model_or_an_absent_app():
    """Entries outlive their model admin only while their app is not installed."""
    for label in set(EXPECTED) - set(REGISTERED):
        app_label = label.split(".")[0]
        installed = {config.label for config in apps.get_app_configs()}
        assert app_label not in installed, f"{label} is installed but not registered"


@pytest.mark.parametrize("label", REGISTERED)
def test_expectations_name_real_operations(label):
    """A misspelt action in the table would pass as "refused" for ever."""
    known = CRUD | defined_actions(label)
    for role, operations in EXPECTED[label].items():
        assert operations <= known, (label, role, operations - known)
        if CHANGE in operations or DELETE in operations:
            assert VIEW in operations, (label, role)


# --- The matrix ----------------------------------------------------------------


def _allowed(response: HttpResponseBase) -> bool:
    """200 or a redirect after success means allowed; 403 means refused."""
    assert response.status_code in {200, 302, 403}, response.status_code
    return response.status_code != 403


def _action_ran(response) -> bool:
    """Whether a posted action was carried out (or showed its own page).

    The admin refuses an action the user may not use by saying "No action
    selected." or, when the user has no action at all, by showing the list
    again; without the view permission it answers 403.
    """
    if response.status_code == 403:
        return False
    assert response.status_code in {200, 302}, response.status_code
    if "No action selected." in _messages(response):
        return False
    templates = {template.name for template in response.templates}
    return "admin/change_list.html" not in templates


def _offered_actions(response) -> set[str]:
    action_form = response.context.get("action_form")
    if action_form is None:
        return set()
    return {name for name, _ in action_form.fields["action"].choices if name}


def try_operation(user: User, label: str, operation: str) -> bool:
    """Attempt one operation on a fresh object; whether it was allowed.

    A fresh client too, so no message left by an earlier request is read
    as this one's.
    """
    client = admin_client(Client(), user)
    obj = OBJECTS[label]()
    if operation == VIEW:
        listed = _allowed(client.get(_url(obj, "changelist")))
        shown = _allowed(client.get(_url(obj, "change")))
        assert listed == shown, f"{label}: list and change form disagree"
        return listed
    if operation == ADD:
        form = _allowed(client.get(_url(obj, "add")))
        posted = _allowed(client.post(_url(obj, "add"), {}))
        assert form == posted, f"{label}: add form and its POST disagree"
        return posted
    if operation == CHANGE:
        return _allowed(client.post(_url(obj, "change"), {}))
    if operation == DELETE:
        allowed = _allowed(client.post(_url(obj, "delete"), {"post": "yes"}))
        assert allowed != _exists(obj), f"{label}: delete answered {allowed}"
        return allowed
    response = client.post(
        _url(obj, "changelist"),
        {"action": operation, "_selected_action": [obj.pk], "index": "0"},
    )
    return _action_ran(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", REGISTERED)
def test_permission_matrix(role, label):
    """Each role can do exactly what EXPECTED says, and nothing else; the
    action menu offers exactly the actions it may run."""
    expected = EXPECTED[label][role]
    user = make_role(role)
    obj = OBJECTS[label]()
    listed = admin_client(Client(), user).get(_url(obj, "changelist"))
    if VIEW in expected:
        assert _offered_actions(listed) == expected - CRUD
    wrong = []
    for operation in sorted(CRUD | defined_actions(label)):
        allowed = try_operation(user, label, operation)
        if allowed != (operation in expected):
            wrong.append(f"{operation}: {'allowed' if allowed else 'refused'}")
    assert not wrong, f"{role} on {label}: {', '.join(wrong)}"
