"""Pages about change over time: a migration between two tools."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from changes.models import Move, median, migration_url
from decisions.models import Decision
from tools.models import Tool

TEAMS_SHOWN = 20
DECISIONS_SHOWN = 10


def tools_of_pair(pair: str) -> tuple[Tool, Tool]:
    """The two approved tools named by ``<from>-to-<to>`` (one query).

    Slugs may themselves contain "-to-", so every split is tried and the
    first whose two halves are both tools wins.
    """
    parts = pair.split("-to-")
    splits = [
        ("-to-".join(parts[:i]), "-to-".join(parts[i:])) for i in range(1, len(parts))
    ]
    slugs = {slug for split in splits for slug in split}
    found = {tool.slug: tool for tool in Tool.objects.approved().filter(slug__in=slugs)}
    for old, new in splits:
        if old in found and new in found and old != new:
            return found[old], found[new]
    raise Http404("No migration between these tools.")


@require_safe
def migration_detail(request: HttpRequest, pair: str) -> HttpResponse:
    from_tool, to_tool = tools_of_pair(pair)
    moves = Move.objects.between(from_tool, to_tool)
    days = list(moves.order_by().values_list("days", flat=True))
    context = {
        "from_tool": from_tool,
        "to_tool": to_tool,
        "team_count": len(days),
        "median_days": median(days),
        "teams": list(
            moves.select_related("stack__company", "stack__owner_user").order_by(
                "-moved_at", "-pk"
            )[:TEAMS_SHOWN]
        ),
        "reverse_count": Move.objects.between(to_tool, from_tool).count(),
        "reverse_url": migration_url(to_tool.slug, from_tool.slug),
        "decisions": list(
            Decision.objects.visible()
            .filter(
                declared_moves__from_tool=from_tool, declared_moves__to_tool=to_tool
            )
            .with_cards()
            .newest()[:DECISIONS_SHOWN]
        ),
    }
    return render(request, "changes/migration_detail.html", context)
