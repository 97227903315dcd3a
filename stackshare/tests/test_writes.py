"""The write gate (stackshare.writes) over the whole URLconf.

Every pattern of the URLconf is walked, nested includes too: a suspended
member's POST to each is refused with the suspension page and changes
nothing in the database, apart from the short allow-list (log out, account
security) and the back office, which are asserted on their own. A pattern
added later is walked as well, and one whose arguments the walk cannot fill
fails it until a sample value is added below.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory

from stackshare.types import HtmxHttpRequest

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse
from django.urls import resolve, reverse

from accounts.models import MemberFollow
from accounts.services import (
    SUSPENDED_MESSAGE,
    SuspendedError,
    check_can_write,
    suspend_member,
)
from accounts.tests.factories import PASSWORD, make_member
from decisions.tests.factories import make_comment, make_decision
from stacks.models import Stack
from stacks.tests.factories import make_company, make_membership, make_stack
from stackshare import ratelimits, writes
from tests.urlconf import Route, count_patterns, walk
from tools.models import ToolFollow
from tools.tests.factories import make_category, make_procon, make_tool

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

# What a form on the site might send; with it, a write that slipped past the
# gate would change something the snapshot notices.
PAYLOAD = {
    "body": "Buy cheap watches",
    "text": "Buy cheap watches here",
    "title": "Buy cheap watches",
    "kind": "pro",
    "state": "on",
    "reason": "spam",
    "details": "spam",
    "name": "Spam Inc",
    "display_name": "Spammer",
    "bio": "Spam",
    "tagline": "Spam",
    "website": "https://spam.example",
    "tool": "acme",
    "note": "Spam",
    "role": "editor",
    "intent": "publish",
    "chosen": "acme",
    "paste": '{"dependencies": {"flask": "*"}}',
}


@pytest.fixture
def world(member, other_member):
    """One of everything an address can name, owned by `member` where that
    means something; every slug is "acme", so one sample fills them all."""
    function = make_category(name="Acme")
    tool = make_tool(name="Acme", function=function)
    make_tool(name="Beta", function=function)
    company = make_company(name="Acme", owner=member)
    make_membership(company=company, user=other_member)
    stack = make_stack(name="Platform", company=company, tools=[tool])
    # Stacks are named after their owner; this one shares the others' slug.
    Stack.objects.filter(pk=stack.pk).update(slug="acme")
    decision = make_decision(author=member, chosen=[tool])
    comment = make_comment(decision=decision, author=member)
    procon = make_procon(tool=tool, author=other_member)
    samples = {
        "slug": "acme",
        "tool_slug": "acme",
        "pk": decision.pk,
        "username": member.username,
        "slugs": "acme-vs-beta",
        "pair": "acme-to-beta",
        "item_id": stack.items.get().pk,
        "kind": "tools",
        "tab": "comparison",
        "key": "abc",
        "uidb36": "1",
        "path": "nothing.png",
    }
    overrides = {
        "decisions:comment_delete": {"pk": comment.pk},
        "decisions:comment_report": {"pk": comment.pk},
        "tools:procon_vote": {"pk": procon.pk},
        "accounts:follow": {"username": other_member.username},
        "accounts:mute": {"username": other_member.username},
        "stacks:company_member_role": {"username": other_member.username},
        "stacks:company_member_remove": {"username": other_member.username},
    }
    return samples, overrides


def url_of(route: Route, world) -> str:
    samples, overrides = world
    if route.name is None:
        assert not route.params, f"cannot fill the unnamed pattern {route.route!r}"
        return "/" + route.route
    missing = [p for p in route.params if p not in samples]
    assert not missing, f"add a sample value for {missing} ({route.name})"
    kwargs = {p: samples[p] for p in route.params} | overrides.get(route.name, {})
    return reverse(route.name, kwargs=kwargs)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model: cheap with the handful the test creates."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
    }


def refused_as_suspended(response: _MonkeyPatchedWSGIResponse) -> bool:
    return response.status_code == 403 and "refusal.html" in {
        t.name for t in response.templates
    }


@pytest.fixture
def suspended_client(client, member, moderator, world):
    suspend_member(member=member, actor=moderator, reason="Spam wave")
    client.force_login(member)
    return client


def all_routes() -> list[Route]:
    return walk()


def test_every_write_address_refuses_a_suspended_member(suspended_client, world):
    """A suspended member's POST to any address of the site is refused with the
    suspension page and leaves the database as it was; only the allow-list
    and the back office are let through, and they are asserted elsewhere."""
    routes = all_routes()
    refused, allowed, back_office = [], [], []
    leaks = []
    for route in routes:
        if writes.is_back_office(list(route.namespaces)):
            back_office.append(route)
            continue
        if route.name and writes.suspended_may(route.name):
            allowed.append(route)
            continue
        url = url_of(route, world)
        before = snapshot()
        response = suspended_client.post(url, PAYLOAD)
        if not refused_as_suspended(response) or snapshot() != before:
            leaks.append((route.name or route.route, url, response.status_code))
            continue
        assert SUSPENDED_MESSAGE in response.content.decode()
        refused.append(route)
    assert leaks == []
    # Nothing was skipped: every pattern is in exactly one group.
    assert len(refused) + len(allowed) + len(back_office) == count_patterns()
    assert len(refused) > 60  # the site's own addresses, allauth's others
    # allauth's own pages always, the two-factor ones when allauth.mfa is on.
    allowed_names = {r.name for r in allowed}
    assert allowed_names >= writes.SUSPENDED_MAY
    assert allowed_names <= writes.SUSPENDED_MAY | writes.SUSPENDED_MAY_MFA


def test_every_write_address_has_a_rate_limit_class():
    """Each address outside the back office counts against a limit (its own
    class or the default), except logging out; the tables name only
    addresses that exist."""
    routes = [r for r in all_routes() if not writes.is_back_office(list(r.namespaces))]
    names = {r.name for r in routes if r.name}
    for route in routes:
        action = writes.action_for(route.name or route.route)
        if route.name in writes.NOT_LIMITED:
            assert action is None
        else:
            assert action in ratelimits.DEFAULT_LIMITS, route
            assert ratelimits.message(action)
    assert set(writes.ACTIONS) <= names
    assert names >= writes.NOT_LIMITED
    assert names >= writes.FORM_PAGES
    assert names >= writes.SUSPENDED_MAY
    assert set(writes.ACTIONS.values()) <= set(ratelimits.DEFAULT_LIMITS)
    assert writes.ACTIONS["stacks:import"] == "import"
    assert writes.ACTIONS["stacks:import_confirm"] == "import"
    assert writes.ACTIONS["tools:create"] == "submit"


def test_form_pages_show_the_suspension_instead_of_a_form(
    suspended_client, client, member, world
):
    """Pages that only show a form to write something explain the suspension."""
    routes = {r.name: r for r in all_routes() if r.name in writes.FORM_PAGES}
    assert set(routes) == writes.FORM_PAGES
    for name, route in routes.items():
        response = suspended_client.get(url_of(route, world))
        assert refused_as_suspended(response), name
        assert SUSPENDED_MESSAGE in response.content.decode()


def test_form_pages_open_for_members_in_good_standing(member_client, world):
    routes = [r for r in all_routes() if r.name in writes.FORM_PAGES]
    for route in routes:
        response = member_client.get(url_of(route, world))
        assert "refusal.html" not in {t.name for t in response.templates}, route


def test_suspended_member_can_still_read(suspended_client, world):
    assert (
        suspended_client.get(reverse("tools:detail", args=["acme"])).status_code == 200
    )
    assert suspended_client.get(reverse("decisions:list")).status_code == 200


def test_suspended_member_can_log_out(suspended_client, member):
    response = suspended_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in suspended_client.session


def test_suspended_member_can_change_their_password(suspended_client, member):
    response = suspended_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a new and long passphrase",
            "password2": "a new and long passphrase",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a new and long passphrase")


def test_allow_listed_account_pages_are_let_through(suspended_client, member, world):
    """The account-security pages answer as allauth makes them, not with the gate's refusal."""
    for route in all_routes():
        if route.name and writes.suspended_may(route.name):
            response = suspended_client.post(url_of(route, world), {})
            assert not refused_as_suspended(response), route.name
            suspended_client.force_login(member)  # the logout ended the session


def test_other_methods_are_refused_too(suspended_client, world):
    url = reverse("tools:follow", args=["acme"])
    for method in ["put", "patch", "delete"]:
        response = getattr(suspended_client, method)(url)
        assert refused_as_suspended(response), method
    assert not ToolFollow.objects.exists()


def test_htmx_gets_the_refusal_in_place_of_the_page(suspended_client, world):
    response = suspended_client.post(
        reverse("tools:follow", args=["acme"]), {"state": "on"}, headers=HTMX
    )
    content = response.content.decode()
    assert response.status_code == 403
    assert "<html" not in content
    assert "Your account is suspended" in content
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reswap"].startswith("innerHTML")


def test_refusal_offers_the_way_back_it_came_from(suspended_client, world):
    tool_page = "http://testserver/tools/acme/"
    response = suspended_client.post(
        reverse("tools:follow", args=["acme"]), headers={"Referer": tool_page}
    )
    assert f'href="{tool_page}"' in response.content.decode()
    response = suspended_client.post(
        reverse("tools:follow", args=["acme"]),
        headers={"Referer": "https://elsewhere.example/"},
    )
    assert "elsewhere.example" not in response.content.decode()


def test_anonymous_writes_are_left_to_the_views(client, world):
    """Without a member there is nothing to suspend or count: login_required answers."""
    response = client.post(reverse("tools:follow", args=["acme"]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_back_office_is_left_to_its_own_permissions(member, moderator):
    """Suspension is for the site; /admin/ keeps its own flags and permissions,
    so a superuser can always lift a suspension, their own included."""
    suspend_member(member=member, actor=moderator)
    request = RequestFactory().post("/admin/accounts/user/")
    request.user = member
    request.resolver_match = resolve("/admin/accounts/user/")
    gate = writes.WriteGateMiddleware(lambda r: HttpResponse())
    # HtmxMiddleware, which runs first, is not needed on this path.
    assert (
        gate.process_view(cast(HtmxHttpRequest, request), lambda r: None, (), {})
        is None
    )


def test_one_definition_of_may_write(member, moderator):
    assert member.can_write
    check_can_write(user=member)
    suspend_member(member=member, actor=moderator)
    assert not member.can_write
    with pytest.raises(SuspendedError, match="suspended"):
        check_can_write(user=member)
    inactive = make_member(is_active=False)
    assert not inactive.can_write
    with pytest.raises(SuspendedError):
        check_can_write(user=inactive)


# Rate limits -----------------------------------------------------------------


def test_writes_without_a_class_count_as_write(member_client, settings, world):
    """The default class stops the third change with a 429, Retry-After and a
    message; the first two are saved."""
    settings.RATE_LIMITS = {"write": (2, 600)}
    first = member_client.post(reverse("tools:follow", args=["acme"]), {"state": "on"})
    second = member_client.post(
        reverse("tools:category_follow", args=["acme"]), {"state": "on"}
    )
    assert first.status_code == second.status_code == 302
    response = member_client.post(reverse("tools:mute", args=["acme"]), {"state": "on"})
    assert response.status_code == 429
    assert "limit of 2 changes per 10 minutes" in response.content.decode()
    assert 590 <= int(response["Retry-After"]) <= 600
    assert ToolFollow.objects.count() == 1  # what was saved stays saved


def test_limits_are_per_member(client, member, other_member, settings, world):
    settings.RATE_LIMITS = {"write": (1, 600)}
    client.force_login(member)
    url = reverse("accounts:follow", args=[other_member.username])
    assert client.post(url, {"state": "on"}).status_code == 302
    assert client.post(url, {"state": "off"}).status_code == 429
    client.force_login(other_member)
    url = reverse("accounts:follow", args=[member.username])
    assert client.post(url, {"state": "on"}).status_code == 302
    assert MemberFollow.objects.count() == 2


def test_the_window_expires(member_client, settings, world, monkeypatch):
    """Past its window the member writes again; Retry-After counts down meanwhile."""
    settings.RATE_LIMITS = {"write": (1, 600)}
    url = reverse("tools:follow", args=["acme"])
    assert member_client.post(url, {"state": "on"}).status_code == 302
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 400)
    response = member_client.post(url, {"state": "off"})
    assert response.status_code == 429
    assert 195 <= int(response["Retry-After"]) <= 200
    monkeypatch.setattr(time, "time", lambda: now + 601)
    assert member_client.post(url, {"state": "off"}).status_code == 302
    assert not ToolFollow.objects.exists()


def test_imports_have_their_own_limit(member_client, settings, world):
    settings.RATE_LIMITS = {"import": (1, 3600)}
    url = reverse("stacks:import", args=["acme"])
    assert member_client.post(url, {"text": "flask\n"}).status_code != 429
    response = member_client.post(url, {"text": "flask\n"})
    assert response.status_code == 429
    assert "limit of 1 stack imports per hour" in response.content.decode()
    # Other writes are still within theirs.
    assert (
        member_client.post(
            reverse("tools:follow", args=["acme"]), {"state": "on"}
        ).status_code
        == 302
    )


def test_tool_submissions_have_their_own_limit(member_client, settings):
    settings.RATE_LIMITS = {"submit": (1, 86400)}
    url = reverse("tools:create")
    member_client.post(url, {"name": "Something"})
    response = member_client.post(url, {"name": "Something else"})
    assert response.status_code == 429
    assert "1 tool submissions per day" in response.content.decode()


def test_htmx_gets_the_limit_in_place_of_the_page(member_client, settings, world):
    settings.RATE_LIMITS = {"write": (0, 600)}
    response = member_client.post(
        reverse("tools:follow", args=["acme"]), {"state": "on"}, headers=HTMX
    )
    assert response.status_code == 429
    assert "<html" not in response.content.decode()
    assert "0 changes per 10 minutes" in response.content.decode()
    assert response["HX-Retarget"] == "#main"
    assert "Retry-After" in response


def test_logging_out_is_never_limited(member_client, settings):
    settings.RATE_LIMITS = {"write": (0, 600)}
    assert member_client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_reads_are_never_counted(member_client, settings, world):
    settings.RATE_LIMITS = {"write": (0, 600)}
    assert member_client.get(reverse("tools:detail", args=["acme"])).status_code == 200
    assert member_client.get(reverse("stacks:create")).status_code == 200


def test_counter_lives_only_in_the_cache(settings):
    """Only add, incr, get and set: any cache back end will do."""
    settings.RATE_LIMITS = {"vote": (2, 60)}
    assert ratelimits.hit(user_id=7, action="vote")
    assert ratelimits.hit(user_id=7, action="vote")
    assert not ratelimits.hit(user_id=7, action="vote")
    assert ratelimits.hit(user_id=8, action="vote")
    assert 1 <= ratelimits.retry_after(user_id=7, action="vote") <= 60
    assert ratelimits.retry_after(user_id=9, action="vote") == 60
