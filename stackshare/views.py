"""Site-wide pages that belong to no single app: home and health check.

The home page reads through every app, like any page; nothing imports it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import User
from decisions.models import Decision
from feeds.events import Reader, feed_page
from stacks.models import Company, Stack
from stackshare.caching import LISTS, STRUCTURE, cache_page
from stackshare.outages import check_health
from stackups.models import Stackup
from tools.models import Tool

TRENDING_SHOWN = 8
STACKUPS_SHOWN = 8
FEED_SHOWN = 5
DECISIONS_SHOWN = 4
COMPANIES_SHOWN = 8


@require_safe
# Performance: no query, but the chrome's rendering is worth keeping.
# Trending, decisions, stacks: see stackshare.caching.
@cache_page([STRUCTURE, LISTS], params=())
def home(request: HttpRequest) -> HttpResponse:
    """What the site is, in ten seconds, and what is moving on it now."""
    user = request.user if isinstance(request.user, User) else None
    trending = (
        Tool.objects.approved()
        .filter(is_deprecated=False)
        .most_trending(TRENDING_SHOWN)
    )
    context: dict[str, object] = {
        "trending": trending,
        "stackups": list(Stackup.objects.with_tools().most_viewed()[:STACKUPS_SHOWN]),
        "decisions": list(
            Decision.objects.visible().with_cards().newest()[:DECISIONS_SHOWN]
        ),
        "changed_companies": recently_changed_companies(),
    }
    if user is not None:
        reader = Reader.for_user(user)
        if reader.follows_anything:
            context["feed"] = feed_page(reader, size=FEED_SHOWN).items
    return render(request, "home.html", context)


def recently_changed_companies(
    limit: int = COMPANIES_SHOWN,
) -> list[tuple[Company | None, Stack]]:
    """Companies whose stacks changed last, each with that stack, in one query.

    Reads the newest stacks off the index on ``updated_at`` and keeps the
    first stack of each company, rather than aggregating over all companies.
    """
    seen: dict[int | None, tuple[Company | None, Stack]] = {}
    for stack in (
        Stack.objects.filter(company__isnull=False)
        .select_related("company")
        .order_by("-updated_at")[: limit * 4]
    ):
        if stack.company_id not in seen:
            seen[stack.company_id] = (stack.company, stack)
    return list(seen.values())[:limit]


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon, for browsers that ask for /favicon.ico on pages that
    name none (feeds, raw files)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and cache, each "ok" or "unavailable", within a second.

    503 when the database does not answer (nothing can be served); 200 and
    "degraded" when only the cache does not, since pages are then built
    without it.
    """
    database_ok, cache_ok = check_health()
    database = "ok" if database_ok else "unavailable"
    shared_cache = "ok" if cache_ok else "unavailable"
    if database != "ok":
        status = "unavailable"
    else:
        status = "ok" if shared_cache == "ok" else "degraded"
    return JsonResponse(
        {"status": status, "database": database, "cache": shared_cache},
        status=503 if status == "unavailable" else 200,
    )
