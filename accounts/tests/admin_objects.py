"""One fresh row of each model the back office registers, and its admin addresses."""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import ModerationEvent
from accounts.services import suspend_member
from accounts.tests.admin_roles import MODERATOR, _names, make_role
from accounts.tests.factories import make_member
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
from tools.tests.factories import make_category, make_procon, make_synonym, make_tool


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
