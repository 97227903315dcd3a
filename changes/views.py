"""Pages about change over time: a migration between two tools, marking a
decision as one, a company's tech radar."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from changes.forms import (
    DecisionMigrationForm,
    DecisionRecordForm,
    OutcomeForm,
    RingForm,
)
from changes.models import (
    DecisionMove,
    DecisionRecord,
    DraftDecision,
    DraftState,
    Move,
    Outcome,
    RecordStatus,
    median,
    migration_url,
    record_parts,
)
from changes.radar import company_radar, radar_csv, radar_json
from changes.services import (
    declare_decision_moves,
    dismiss_draft,
    publish_draft,
    record_outcome,
    save_decision_record,
    set_ring,
)
from decisions.models import Decision, DecisionKind
from stacks.models import (
    Company,
    CompanyMembership,
    Ring,
    StackItem,
    company_page_version,
)
from stackshare.caching import STRUCTURE, cache_page, tool_version
from stackshare.types import AuthenticatedHttpRequest
from tools.models import Tool

TEAMS_SHOWN = 20


def pair_slugs(pair: str) -> list[str]:
    """Every slug a ``<from>-to-<to>`` address may name."""
    parts = pair.split("-to-")
    return sorted(
        {"-to-".join(parts[:i]) for i in range(1, len(parts))}
        | {"-to-".join(parts[i:]) for i in range(1, len(parts))}
    )


def migration_versions(kwargs: dict[str, Any]) -> list[str]:
    """A migration page changes with its two tools' pages: the moves and the
    decisions marked as them bump both tools' versions."""
    return [STRUCTURE, *(tool_version(slug) for slug in pair_slugs(kwargs["pair"]))]


def radar_versions(kwargs: dict[str, Any]) -> list[str]:
    """A radar changes with its company's stacks and rings, which bump the
    company's version (stacks.services.company_changed)."""
    return [STRUCTURE, company_page_version(kwargs["slug"])]


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
@cache_page(migration_versions, params=())
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


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_migration(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one's decision as a move between some of its tools."""
    decision = get_object_or_404(
        Decision.objects.editable_by(request.user).filter(kind=DecisionKind.DECIDED),
        pk=pk,
    )
    tools = list(decision.tools.all())
    declared = list(DecisionMove.objects.filter(decision=decision))
    form = DecisionMigrationForm(
        request.POST or None,
        tools=tools,
        initial={
            "from_tools": [move.from_tool_id for move in declared],
            "to_tools": [move.to_tool_id for move in declared],
        },
    )
    if request.method == "POST" and form.is_valid():
        declare_decision_moves(
            decision=decision,
            from_tools=form.cleaned_data["from_tools"],
            to_tools=form.cleaned_data["to_tools"],
            declared_by=request.user,
        )
        return redirect(decision.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(
        request,
        "changes/decision_migration_form.html",
        {"decision": decision, "form": form},
        status=status,
    )


def _can_edit_radar(request: HttpRequest, company: Company) -> bool:
    return bool(
        request.user.is_authenticated
        and CompanyMembership.objects.editing()
        .filter(company=company, user=request.user)
        .exists()
    )


def _radar_page(
    request: HttpRequest,
    company: Company,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    radar = company_radar(company)
    return render(
        request,
        "changes/company_radar.html",
        {
            "company": company,
            "radar": radar,
            "can_edit": _can_edit_radar(request, company),
            "rings": Ring.choices,
            "error": error,
        },
        status=status,
    )


@require_safe
@cache_page(radar_versions, params=())
def radar_detail(request: HttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    return _radar_page(request, company)


@require_safe
@cache_page(radar_versions, params=())
def radar_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The radar for the open-source radar builders: JSON or CSV."""
    company = get_object_or_404(Company, slug=slug)
    radar = company_radar(company)
    filename = f"{company.slug}-radar.{fmt}"
    if fmt == "json":
        response: HttpResponse = JsonResponse(
            radar_json(radar, base_url=request.build_absolute_uri("/").rstrip("/")),
            json_dumps_params={"indent": 2},
        )
    else:
        response = HttpResponse(
            radar_csv(radar), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["POST"])
def radar_set_ring(
    request: AuthenticatedHttpRequest, slug: str, item_id: int
) -> HttpResponse:
    """An editor of the company moves one of its stack entries to a ring."""
    company = get_object_or_404(Company, slug=slug)
    if not _can_edit_radar(request, company):
        raise Http404("Only the company's editors set its radar.")
    item = get_object_or_404(
        StackItem.objects.select_related("stack", "tool"),
        pk=item_id,
        stack__company=company,
    )
    form = RingForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(map(str, errors))}"
            for name, errors in form.errors.items()
        )
        return _radar_page(
            request, company, error=f"{item.tool.name}: {problems}", status=400
        )
    set_ring(
        item=item,
        ring=Ring(form.cleaned_data["ring"]),
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    return redirect(
        reverse("changes:radar", kwargs={"slug": company.slug})
        + f"#tool-{item.tool.slug}"
    )


def _own_decision(request: HttpRequest, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.editable_by(request.user).filter(kind=DecisionKind.DECIDED),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The author sets the ADR parts: status, context, consequences,
    revisit date, successor."""
    decision = _own_decision(request, pk)
    record = DecisionRecord.objects.filter(decision=decision).first()
    initial: dict[str, object] = {"status": RecordStatus.ACCEPTED}
    if record is not None:
        initial = {
            "status": RecordStatus.ACCEPTED
            if record.status == RecordStatus.SUPERSEDED
            else record.status,
            "context": record.context,
            "consequences": record.consequences,
            "revisit_on": record.revisit_on,
            "superseded_by": record.superseded_by_id,
        }
    form = DecisionRecordForm(request.POST or None, decision=decision, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_decision_record(
                decision=decision,
                status=RecordStatus(form.cleaned_data["status"]),
                context=form.cleaned_data["context"],
                consequences=form.cleaned_data["consequences"],
                revisit_on=form.cleaned_data["revisit_on"],
                superseded_by=form.cleaned_data["superseded_by"],
            )
        except ValidationError as error:
            form.add_error("superseded_by", error)
        else:
            return redirect(decision.get_absolute_url())
    return render(
        request,
        "changes/decision_record_form.html",
        {"decision": decision, "form": form},
        status=400 if form.is_bound else 200,
    )


def can_record_outcome(user: User, decision: Decision) -> bool:
    """The author, a moderator, or an editor of the decision's company."""
    if Decision.objects.editable_by(user).filter(pk=decision.pk).exists():
        return True
    return bool(
        decision.company_id
        and CompanyMembership.objects.editing()
        .filter(company_id=decision.company_id, user=user)
        .exists()
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Say how a decision turned out: worked well, mixed or reverted."""
    decision = get_object_or_404(
        Decision.objects.visible().filter(kind=DecisionKind.DECIDED), pk=pk
    )
    if not can_record_outcome(request.user, decision):
        raise Http404("Only the author and the company's editors record the outcome.")
    record = DecisionRecord.objects.filter(decision=decision).first()
    initial = (
        {"outcome": record.outcome, "text": record.outcome_text}
        if record and record.outcome
        else {}
    )
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        record_outcome(
            decision=decision,
            outcome=Outcome(form.cleaned_data["outcome"]),
            text=form.cleaned_data["text"],
            recorded_by=request.user,
        )
        return redirect(decision.get_absolute_url() + "#outcome")
    return render(
        request,
        "changes/decision_outcome_form.html",
        {"decision": decision, "form": form, "record": record},
        status=400 if form.is_bound else 200,
    )


@require_safe
def decision_adr(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision as a Markdown ADR file in the MADR layout."""
    decision = get_object_or_404(
        Decision.objects.visible()
        .filter(kind=DecisionKind.DECIDED)
        .with_cards()
        .select_related("author"),
        pk=pk,
    )
    parts = record_parts(decision)
    response = render(
        request,
        "changes/decision_adr.md",
        {"decision": decision, "record": parts.record, "supersedes": parts.supersedes},
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{decision.pk:04d}-{decision.slug or "decision"}.md"'
    )
    return response


def _editable_company(request: HttpRequest, slug: str) -> Company:
    company = get_object_or_404(Company, slug=slug)
    if not _can_edit_radar(request, company):
        raise Http404("Only the company's editors review its drafts.")
    return company


def _named_tools(draft: DraftDecision, tools: list[Tool]) -> list[Tool]:
    """The stacks' tools the draft names, as tag candidates."""
    text = " ".join(
        [draft.title, draft.context, draft.body, draft.consequences, *draft.options]
    ).lower()
    return [
        tool
        for tool in tools
        if re.search(rf"(?<![\w-]){re.escape(tool.name.lower())}(?![\w-])", text)
    ]


def _stack_tools(stacks: dict[str, Any]) -> QuerySet[Tool]:
    """The approved tools in the stacks that match ``stacks`` (a lookup on
    the stack: its company, or its owner), the tools a draft may tag."""
    lookups = {f"stack_items__stack__{name}": value for name, value in stacks.items()}
    return Tool.objects.approved().filter(**lookups).distinct().order_by("name")


def _draft_list(
    request: AuthenticatedHttpRequest,
    *,
    owned_by: dict[str, Any],
    company: Company | None,
) -> HttpResponse:
    drafts = list(DraftDecision.objects.filter(**owned_by, state=DraftState.PENDING))
    tools = list(_stack_tools(owned_by))
    for draft in drafts:
        draft.candidates = _named_tools(draft, tools)  # type: ignore[attr-defined]  # set on the instance here, an attribute django-stubs cannot see
    return render(
        request, "changes/draft_list.html", {"company": company, "drafts": drafts}
    )


def _draft_review(
    request: AuthenticatedHttpRequest,
    *,
    owned_by: dict[str, Any],
    pk: int,
    action: str,
    back: str,
) -> HttpResponse:
    draft = get_object_or_404(
        DraftDecision, pk=pk, **owned_by, state=DraftState.PENDING
    )
    if action == "dismiss":
        dismiss_draft(draft=draft)
        return redirect(back)
    ids = [value for value in request.POST.getlist("chosen") if value.isdigit()]
    chosen = list(_stack_tools(owned_by).filter(pk__in=ids))
    try:
        decision = publish_draft(
            draft=draft,
            author=request.user,
            chosen=chosen,
        )
    except ValidationError as error:
        return HttpResponse(
            f"{draft.title}: {' '.join(error.messages)}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return redirect(decision.get_absolute_url())


@login_required
@require_safe
def draft_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The ADRs imported from the company's repositories, to publish or dismiss."""
    company = _editable_company(request, slug)
    return _draft_list(request, owned_by={"company": company}, company=company)


@login_required
@require_http_methods(["POST"])
def draft_review(
    request: AuthenticatedHttpRequest, slug: str, pk: int, action: str
) -> HttpResponse:
    """Publish a draft as one's decision (with the tools ticked), or dismiss it."""
    company = _editable_company(request, slug)
    return _draft_review(
        request,
        owned_by={"company": company},
        pk=pk,
        action=action,
        back=reverse("changes:drafts", kwargs={"slug": company.slug}),
    )


@login_required
@require_safe
def member_draft_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ADRs pushed with scans of the member's own stacks."""
    return _draft_list(request, owned_by={"owner_user": request.user}, company=None)


@login_required
@require_http_methods(["POST"])
def member_draft_review(
    request: AuthenticatedHttpRequest, pk: int, action: str
) -> HttpResponse:
    """Publish one's own draft as a decision, or dismiss it; another
    member's drafts are not found."""
    return _draft_review(
        request,
        owned_by={"owner_user": request.user},
        pk=pk,
        action=action,
        back=reverse("changes:member_drafts"),
    )
