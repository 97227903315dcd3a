"""Who may do what in the back office, tried over HTTP.

The matrix walks the admin registry: every registered model, for each role,
is viewed (list and change form), added, changed, deleted and put through
each of its admin actions, and what answers must match `EXPECTED` below. A
model registered without an entry there fails the suite, so each new model
admin comes with a decision about who may use it.

After these come the ways up that issue 13 found open, each a test of its
own: a moderator making themselves superuser, the password form, acting on
staff accounts, staff granting themselves groups.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import ModerationEvent, User
from accounts.moderators import (
    MODERATORS_GROUP,
    grant_moderator_permissions,
    is_forbidden,
    revoke_forbidden_permissions,
)
from accounts.services import suspend_member
from accounts.tests.factories import (
    PASSWORD,
    enrol_totp,
    make_member,
    sign_in_with_mfa,
)
from changes.models import DecisionMove, DraftDecision, Move, RecordStatus
from changes.services import save_decision_record, set_ring
from decisions.models import ReportReason
from decisions.services import report_content
from decisions.tests.factories import make_comment, make_decision
from search.models import ZeroResultQuery
from stacks.models import Ring, ToolPairing
from stacks.tests.factories import make_company, make_item, make_membership, make_stack
from stackups.services import resolve, stackup_for
from tools.models import ToolRedirect, UnknownPackage
from tools.tests.factories import (
    make_category,
    make_procon,
    make_synonym,
    make_tool,
)

pytestmark = pytest.mark.django_db


def admin_client(client: Client, user: User) -> Client:
    """Sign this user in to the back office, second factor included.

    The one place the admin tests log in.
    """
    return sign_in_with_mfa(client, user)


# --- Roles -----------------------------------------------------------------

MODERATOR = "moderator"
STAFF = "staff"  # is_staff, no group, no permission
TRUSTED_STAFF = "trusted staff"  # is_staff holding every permission directly
SUPERUSER = "superuser"
ROLES = [MODERATOR, STAFF, TRUSTED_STAFF, SUPERUSER]

_names = itertools.count(1)


def make_role(role: str) -> User:
    username = f"{role.replace(' ', '_')}{next(_names)}"
    if role == MODERATOR:
        return make_member(username=username, moderator=True)
    if role == SUPERUSER:
        return make_member(username=username, is_staff=True, is_superuser=True)
    user = make_member(username=username, is_staff=True)
    if role == TRUSTED_STAFF:
        user.user_permissions.set(Permission.objects.all())
    return user


def migrated_moderator_permissions() -> set[str]:
    """What the data migrations leave the Moderators group holding."""
    granted: set[str] = set()
    for migration in MigrationLoader(None).disk_migrations.values():
        module = sys.modules[type(migration).__module__]
        if getattr(module, "grant_moderator_permissions", None) is (
            grant_moderator_permissions
        ):
            granted.update(module.PERMISSIONS)
    return {permission for permission in granted if not is_forbidden(permission)}


@pytest.fixture(autouse=True)
def moderators_group(db):
    """The group as the migrations leave it, even after a transactional test
    elsewhere flushed the data migrations' rows."""
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    if not group.permissions.exists():
        for permission in migrated_moderator_permissions():
            app_label, codename = permission.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
    return group


# --- Objects to act on, one fresh row per operation ------------------------


@pytest.fixture(autouse=True)
def _task_queue(settings):
    """A database queue beside the tests' immediate one, so the task results
    the admin lists belong to a back end that stores them."""
    settings.TASKS = {
        **settings.TASKS,
        "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }


def _stackup() -> models.Model:
    first, second = make_tool(), make_tool()
    return stackup_for(resolve(f"{first.slug}-vs-{second.slug}"))


def _stack_history() -> models.Model:
    stack = make_stack(tools=[make_tool()])
    return stack.history.get()


def _move() -> models.Model:
    now = timezone.now()
    return Move.objects.create(
        stack=make_stack(),
        from_tool=make_tool(),
        to_tool=make_tool(),
        left_at=now,
        arrived_at=now,
        moved_at=now,
        days=0,
    )


def _radar_entry() -> models.Model:
    item = make_item(stack=make_stack(company=make_company()), tool=make_tool())
    return set_ring(item=item, ring=Ring.TRIAL, reason="On one team", actor=None)


def _social_account() -> SocialAccount:
    return SocialAccount.objects.create(
        user=make_member(), provider="github", uid=str(next(_names))
    )


def _social_app() -> SocialApp:
    return SocialApp.objects.create(
        provider="github", name="GitHub", client_id="client", secret="very secret"
    )


def _authenticator() -> models.Model:
    # allauth.mfa arrives with the second-factor work; imported only then.
    from allauth.mfa.models import Authenticator

    authenticator: models.Model = Authenticator.objects.create(
        user=make_member(), type=Authenticator.Type.RECOVERY_CODES, data={}
    )
    return authenticator


def _user_session() -> models.Model:
    # Likewise with allauth.usersessions, should it be installed.
    from allauth.usersessions.models import UserSession

    session: models.Model = UserSession.objects.create(
        user=make_member(),
        ip="192.0.2.1",
        session_key=f"session{next(_names)}",
        user_agent="Test",
    )
    return session


OBJECTS: dict[str, Callable[[], models.Model]] = {
    "auth.Group": lambda: Group.objects.create(name=f"Group {next(_names)}"),
    "django_tasks_database.DBTaskResult": lambda: DBTaskResult.objects.create(
        task_path="tools.tasks.sync_github",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="queue",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    ),
    "account.EmailAddress": lambda: EmailAddress.objects.get(user=make_member()),
    "socialaccount.SocialApp": _social_app,
    "socialaccount.SocialToken": lambda: SocialToken.objects.create(
        app=_social_app(), account=_social_account(), token="a token"
    ),
    "socialaccount.SocialAccount": _social_account,
    "mfa.Authenticator": _authenticator,
    "usersessions.UserSession": _user_session,
    "accounts.User": lambda: make_member(),
    "accounts.ModerationEvent": lambda: ModerationEvent.objects.get(
        target_id=str(
            suspend_member(member=make_member(), actor=make_role(MODERATOR)).pk
        )
    ),
    "tools.Tool": lambda: make_tool(),
    "tools.Category": lambda: make_category(),
    "tools.ProCon": lambda: make_procon(tool=make_tool()),
    "tools.ToolRedirect": lambda: ToolRedirect.objects.create(
        old_slug=f"old-name-{next(_names)}", tool=make_tool()
    ),
    "search.ZeroResultQuery": lambda: ZeroResultQuery.objects.create(
        query=f"missing tool {next(_names)}"
    ),
    "tools.UnknownPackage": lambda: UnknownPackage.objects.create(
        ecosystem="pypi", name=f"wanted-{next(_names)}", display_name="wanted"
    ),
    "tools.Synonym": lambda: make_synonym(
        tool=make_tool(), term=f"nickname {next(_names)}"
    ),
    "stacks.Company": lambda: make_company(),
    "stacks.CompanyMembership": lambda: make_membership(
        company=make_company(), user=make_member()
    ),
    "stacks.Stack": lambda: make_stack(tools=[make_tool()]),
    "stacks.StackItem": lambda: make_item(stack=make_stack(), tool=make_tool()),
    "stacks.StackHistory": _stack_history,
    "stacks.ToolPairing": lambda: ToolPairing.objects.create(
        tool=make_tool(), other=make_tool(), stack_count=1
    ),
    "stackups.Stackup": _stackup,
    "decisions.Decision": lambda: make_decision(),
    "changes.Move": _move,
    "changes.DecisionMove": lambda: DecisionMove.objects.create(
        decision=make_decision(), from_tool=make_tool(), to_tool=make_tool()
    ),
    "changes.RadarEntry": _radar_entry,
    "changes.DecisionRecord": lambda: save_decision_record(
        decision=make_decision(), status=RecordStatus.ACCEPTED, context="Why"
    ),
    "changes.DraftDecision": lambda: DraftDecision.objects.create(
        company=make_company(), path=f"docs/adr/{next(_names):04d}.md", title="ADR"
    ),
    "decisions.Comment": lambda: make_comment(decision=make_decision()),
    "decisions.Report": lambda: report_content(
        reporter=make_member(), reason=ReportReason.SPAM, decision=make_decision()
    )[0],
}


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


def _url(obj: models.Model, view: str) -> str:
    opts = obj._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
    if view in {"changelist", "add"}:
        return reverse(name)
    return reverse(name, args=[quote(obj.pk)])


def _exists(obj: models.Model) -> bool:
    return type(obj)._base_manager.filter(pk=obj.pk).exists()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


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


# --- The Moderators group ----------------------------------------------------

MODERATOR_PERMISSIONS = {
    "accounts.view_user",
    "accounts.change_user",
    "accounts.view_moderationevent",
    "tools.view_tool",
    "tools.change_tool",
    "tools.view_category",
    "tools.add_category",
    "tools.change_category",
    "tools.view_alias",
    "tools.add_alias",
    "tools.change_alias",
    "tools.delete_alias",
    "tools.view_alternative",
    "tools.add_alternative",
    "tools.change_alternative",
    "tools.delete_alternative",
    "tools.view_procon",
    "tools.change_procon",
    "tools.view_toolredirect",
    "tools.view_synonym",
    "tools.view_unknownpackage",
    "tools.change_unknownpackage",
    "tools.add_synonym",
    "tools.change_synonym",
    "tools.delete_synonym",
    "stacks.view_company",
    "stacks.change_company",
    "stacks.view_companymembership",
    "stacks.change_companymembership",
    "stacks.view_stack",
    "stacks.change_stack",
    "stacks.view_stackitem",
    "stacks.change_stackitem",
    "stacks.view_stackhistory",
    "stacks.view_toolpairing",
    "stackups.view_stackup",
    "stackups.change_stackup",
    "decisions.view_decision",
    "decisions.change_decision",
    "decisions.view_decisiontool",
    "decisions.view_comment",
    "decisions.change_comment",
    "decisions.view_report",
    "decisions.change_report",
    "search.view_zeroresultquery",
    "search.delete_zeroresultquery",
    "changes.view_move",
    "changes.view_decisionmove",
    "changes.delete_decisionmove",
    "changes.view_radarentry",
    "changes.change_radarentry",
    "changes.view_decisionrecord",
    "changes.change_decisionrecord",
}


def _held(group: Group) -> set[str]:
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


def testmoderators_group_holds_exactly_these_permissions(moderators_group):
    """A new grant shows up here; none reaches accounts, secrets or the queue."""
    assert _held(moderators_group) == MODERATOR_PERMISSIONS
    assert migrated_moderator_permissions() == MODERATOR_PERMISSIONS
    assert not [p for p in MODERATOR_PERMISSIONS if is_forbidden(p)]


def test_revoking_takes_back_forbidden_permissions_only(moderators_group):
    """The least-privilege migration strips what the group must never hold,
    whoever granted it."""
    moderators_group.permissions.add(
        Permission.objects.get(codename="change_group"),
        Permission.objects.get(codename="view_emailaddress"),
        Permission.objects.get(codename="view_socialtoken"),
        Permission.objects.get(codename="delete_user"),
    )
    revoke_forbidden_permissions(apps, None)  # type: ignore[arg-type]  # the function never touches the schema editor
    assert _held(moderators_group) == MODERATOR_PERMISSIONS


# --- The ways up found in issue 13 ---------------------------------------------


def _member_change(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _password_change(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


ESCALATION = {
    "is_superuser": "on",
    "is_staff": "on",
    "is_active": "",
    "username": "taken-over",
    "email": "attacker@example.com",
    "password": "md5$salt$hash",
    "password1": "a new password 123",
    "password2": "a new password 123",
    "last_login_0": "2020-01-01",
    "last_login_1": "00:00:00",
    "date_joined_0": "2020-01-01",
    "date_joined_1": "00:00:00",
}


def _escalation(*, groups: list[Group], display_name: str) -> dict[str, Any]:
    return {
        **ESCALATION,
        "groups": [group.pk for group in groups],
        "user_permissions": list(
            Permission.objects.filter(
                codename__in=["change_group", "add_user"]
            ).values_list("pk", flat=True)
        ),
        "display_name": display_name,
    }


def assert_not_found(response) -> None:
    """The admin's answer for an object outside the user's queryset."""
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "exist" in " ".join(_messages(response))


def _assert_untouched(user: User, *, username: str, email: str) -> None:
    user.refresh_from_db()
    assert not user.is_superuser
    assert user.username == username
    assert user.email == email
    assert user.is_active
    assert user.check_password(PASSWORD)
    assert not user.user_permissions.exists()
    assert user.date_joined.year > 2020


def test_moderator_posting_is_superuser_to_own_form_stays_a_moderator(
    client, moderator, moderators_group
):
    """A moderator is staff, so their own account is out of their reach."""
    client = admin_client(client, moderator)
    response = client.post(
        _member_change(moderator),
        _escalation(groups=[moderators_group], display_name="Boss"),
    )
    assert_not_found(response)
    _assert_untouched(moderator, username="mod", email="mod@example.com")
    assert moderator.display_name != "Boss"
    assert list(moderator.groups.all()) == [moderators_group]


def test_moderator_crafted_post_changes_only_a_members_profile(
    client, moderator, member, moderators_group
):
    """Privileges, credentials and dates posted by hand are not form fields."""
    client = admin_client(client, moderator)
    response = client.post(
        _member_change(member),
        _escalation(groups=[moderators_group], display_name="Ada L."),
    )
    assert response.status_code == 302
    _assert_untouched(member, username="ada", email="ada@example.com")
    assert member.display_name == "Ada L."
    assert not member.is_staff
    assert not member.groups.exists()


def test_moderator_sees_no_privileges_on_a_members_form(client, moderator, member):
    """Only the profile is editable; no password link, no permission widgets."""
    response = admin_client(client, moderator).get(_member_change(member))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.fields) == {
        "first_name",
        "last_name",
        "display_name",
        "job_title",
        "company_name",
        "location",
        "bio",
        "website",
        "github_username",
        "avatar",
    }
    page = response.content.decode()
    for hidden in ["is_superuser", "is_staff", "is_active", "groups", "password"]:
        assert f'name="{hidden}"' not in page
    assert _password_change(member) not in page


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", [MODERATOR, TRUSTED_STAFF])
def test_password_form_is_refused_to_everyone_but_superusers(client, role, method):
    """Not for a member, not for a superuser, not even for oneself."""
    user = make_role(role)
    superuser = make_role(SUPERUSER)
    client = admin_client(client, user)
    data = {"password1": "a new password 123", "password2": "a new password 123"}
    for target in [user, make_member(), superuser]:
        response = getattr(client, method)(_password_change(target), data)
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.check_password(PASSWORD)


def test_moderator_cannot_see_change_or_suspend_staff(client, moderator, member):
    """Staff accounts, other moderators included, are out of a moderator's
    list, forms and actions."""
    other_moderator = make_role(MODERATOR)
    staff = make_role(STAFF)
    client = admin_client(client, moderator)
    listed = client.get(reverse("admin:accounts_user_changelist"))
    assert list(listed.context["cl"].result_list) == [member]
    for target in [staff, other_moderator]:
        assert_not_found(client.get(_member_change(target)))
        assert_not_found(
            client.post(_member_change(target), {"display_name": "Renamed"})
        )
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "suspend_selected",
            "_selected_action": [staff.pk, other_moderator.pk, member.pk],
            "index": "0",
        },
    )
    assert response.status_code == 302
    assert set(User.objects.filter(is_suspended=True)) == {member}
    assert ModerationEvent.objects.get().target_id == str(member.pk)
    staff.refresh_from_db()
    assert staff.display_name == ""


def test_only_superusers_delete_accounts(client, member):
    """Staff holding `delete_user` still cannot delete a member or staff."""
    staff = make_role(STAFF)
    client = admin_client(client, make_role(TRUSTED_STAFF))
    for target in [member, staff]:
        response = client.post(_url(target, "delete"), {"post": "yes"})
        assert response.status_code == 403
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [member.pk, staff.pk],
            "post": "yes",
        },
    )
    assert "No action selected." in _messages(response)
    assert _exists(member)
    assert _exists(staff)


def test_staff_cannot_grant_themselves_groups(client, moderators_group):
    """Staff given change rights on members and groups still gain no group."""
    staff = make_role(STAFF)
    staff.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_user", "change_user", "view_group", "change_group"]
        )
    )
    client = admin_client(client, staff)
    response = client.post(
        _member_change(staff),
        _escalation(groups=[moderators_group], display_name="Root"),
    )
    assert_not_found(response)
    response = client.post(
        _url(moderators_group, "change"),
        {"name": MODERATORS_GROUP, "permissions": [], "user_set": [staff.pk]},
    )
    assert response.status_code == 403
    staff = User.objects.get(pk=staff.pk)
    assert not staff.groups.exists()
    assert not staff.is_superuser
    assert not staff.has_perm("accounts.delete_user")


def test_superuser_manages_staff_groups_and_passwords(client, member, moderators_group):
    """Everything refused above stays possible for a superuser."""
    superuser = make_role(SUPERUSER)
    staff = make_role(STAFF)
    client = admin_client(client, superuser)
    page = client.get(_member_change(member))
    for field in ["is_superuser", "is_staff", "groups", "user_permissions"]:
        assert field in page.context["adminform"].form.fields
    response = client.post(
        _member_change(member),
        {
            "username": "ada",
            "email": "ada@example.com",
            "is_active": "on",
            "is_staff": "on",
            "groups": [moderators_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "display_name": "Ada Lovelace",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_staff
    assert list(member.groups.all()) == [moderators_group]

    assert client.get(_password_change(staff)).status_code == 200
    response = client.post(
        _password_change(staff),
        {
            "password1": "a new password 123",
            "password2": "a new password 123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("a new password 123")

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "suspend_selected", "_selected_action": [staff.pk], "index": "0"},
    )
    staff.refresh_from_db()
    assert staff.is_suspended


# --- Who wrote or owns a row ---------------------------------------------------

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


@pytest.mark.django_db
def test_superuser_sees_a_second_factor_but_never_its_secret(client):
    """The back office lists a member's authenticator app and can delete it,
    but its page shows neither the seed nor the recovery codes."""
    from allauth.mfa.models import Authenticator

    root = make_member(username="root", is_staff=True, is_superuser=True)
    member = make_member(username="ada")
    secret = enrol_totp(member)
    codes = Authenticator.objects.get(
        user=member, type=Authenticator.Type.RECOVERY_CODES
    )
    client = admin_client(client, root)
    totp = Authenticator.objects.get(user=member, type=Authenticator.Type.TOTP)
    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk]))
    assert page.status_code == 200
    assert secret not in page.content.decode()
    assert str(totp.data["secret"]) not in page.content.decode()
    assert '"data"' not in page.content.decode()
    page = client.get(reverse("admin:mfa_authenticator_change", args=[codes.pk]))
    assert str(codes.data.get("seed", "no seed")) not in page.content.decode()
    response = client.post(
        reverse("admin:mfa_authenticator_change", args=[totp.pk]),
        {"data": "{}", "type": "totp"},
    )
    assert response.status_code == 403
    assert Authenticator.objects.get(pk=totp.pk).data == totp.data
