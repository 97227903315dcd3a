"""Stack pages: the list, the stack page, create, edit and delete, and its tool editor."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from stacks import services
from stacks.filters import HistoryFilter, StackFilter
from stacks.forms import AddToolForm, NoteForm, StackForm
from stacks.models import (
    Company,
    CompanyMembership,
    Stack,
    StackHistory,
    StackItem,
    stack_page_version,
)
from stacks.views.companies import membership_of
from stackshare.caching import STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS, wants_fragment
from stackshare.pagination import CappedPaginator
from stackshare.plans import keeps_plans
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest
from tools.models import Category, Tool

PAGE_SIZE = 24
TIMELINE_SIZE = 30
HISTORY_PAGE_SIZE = 50


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def stack_list(request: HtmxHttpRequest) -> HttpResponse:
    filterset = StackFilter(
        request.GET or None, queryset=Stack.objects.with_owner().with_preview()
    )
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "stacks/stack_list.html"
    if wants_fragment(request):
        template_name += "#stack-results"
    return render(
        request,
        template_name,
        {
            "filterset": filterset,
            "page": page,
            "tool": filterset.tool,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stack_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new stack for a company the reader edits (``?company=slug``) or for themselves."""
    company = None
    company_slug = request.GET.get("company") or request.POST.get("company")
    if company_slug:
        company = get_object_or_404(Company, slug=company_slug)
        mine = membership_of(request.user, company)
        if mine is None or not mine.can_edit:
            raise PermissionDenied("Only the company's owners and editors add stacks.")
    form = StackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stack = services.create_stack(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            company=company,
            owner_user=None if company else request.user,
        )
        messages.success(
            request, f"“{stack.name}” is ready. Add its tools, or import them."
        )
        return redirect(stack)
    return render(
        request,
        "stacks/stack_form.html",
        {"form": form, "company": company},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stack_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    stack = editable_stack(request, slug)
    form = StackForm(request.POST or None, instance=stack)
    if request.method == "POST" and form.is_valid():
        services.update_stack(stack=form.save(commit=False))
        messages.success(request, "The stack is saved.")
        return redirect(stack)
    if form.errors:
        stack.refresh_from_db()  # the header shows what is saved
    return render(
        request,
        "stacks/stack_form.html",
        {"form": form, "stack": stack, "company": stack.company},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stack_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    stack = editable_stack(request, slug)
    if request.method == "POST":
        owner_url = stack.owner_url
        services.delete_stack(stack=stack)
        messages.success(request, f"“{stack.name}” is deleted.")
        return redirect(owner_url)
    return render(request, "stacks/stack_confirm_delete.html", {"stack": stack})


@dataclass
class LayerGroup:
    layer: Category | None
    categories: OrderedDict[int, tuple[Category | None, list[StackItem]]] = field(
        default_factory=OrderedDict
    )

    @property
    def groups(self) -> list[tuple[Category | None, list[StackItem]]]:
        return list(self.categories.values())

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.categories.values())


def group_by_layer(items: list[StackItem]) -> list[LayerGroup]:
    """Layer > category > tools, in catalog order (items come ordered by_layer)."""
    layers: OrderedDict[int, LayerGroup] = OrderedDict()
    for item in items:
        category = item.tool.function.parent
        layer = category.parent if category else None
        group = layers.setdefault(layer.pk if layer else 0, LayerGroup(layer))
        group.categories.setdefault(category.pk if category else 0, (category, []))[
            1
        ].append(item)
    return list(layers.values())


def can_edit_stack(user: object, stack: Stack) -> bool:
    """Owners and editors of the company, or the member who owns the stack."""
    if not isinstance(user, User):
        return False
    if stack.owner_user_id is not None:
        return stack.owner_user_id == user.pk
    return (
        CompanyMembership.objects.editing()
        .filter(company_id=stack.company_id, user=user)  # type: ignore[misc]  # a company stack: it has no owner_user
        .exists()
    )


def stack_context(
    request: HttpRequest, stack: Stack, *, can_edit: bool, **extra: object
) -> dict[str, object]:
    items = list(StackItem.objects.filter(stack=stack).with_tool_path().by_layer())
    # One more than shown: whether to link the whole history.
    timeline = list(
        StackHistory.objects.filter(stack=stack).timeline()[: TIMELINE_SIZE + 1]
    )
    return {
        "stack": stack,
        "layers": group_by_layer(items),
        "item_count": len(items),
        "detected_count": sum(item.is_detected for item in items),
        "timeline": timeline[:TIMELINE_SIZE],
        "timeline_goes_on": len(timeline) > TIMELINE_SIZE,
        "can_edit": can_edit,
        "add_form": extra.pop("add_form", None) or AddToolForm(),
        **extra,
    }


def stack_versions(kwargs: dict[str, Any]) -> list[str]:
    """A stack page changes with its entries, notes, name and history
    (stacks.services.stack_changed); names of tools and owners with STRUCTURE."""
    return [STRUCTURE, stack_page_version(kwargs["slug"])]


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
@cache_page(stack_versions, params=())
@keeps_plans
def stack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    stack = get_object_or_404(Stack.objects.with_owner(), slug=slug)
    context = stack_context(
        request, stack, can_edit=can_edit_stack(request.user, stack)
    )
    return render(request, "stacks/stack_detail.html", context)


@require_safe
@cache_page(stack_versions, params=["day", "page"])
def stack_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change of a stack, newest first, or one day's (``?day=``)."""
    stack = get_object_or_404(Stack.objects.with_owner(), slug=slug)
    filterset = HistoryFilter(
        request.GET or None,
        queryset=StackHistory.objects.filter(stack=stack).timeline(),
    )
    if filterset.is_bound and not filterset.is_valid():
        events = StackHistory.objects.none()
    else:
        events = filterset.qs
    page = CappedPaginator(events, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    day = filterset.form.cleaned_data.get("day") if filterset.is_valid() else None
    return render(
        request,
        "stacks/stack_history.html",
        {"stack": stack, "filterset": filterset, "page": page, "day": day},
        status=400 if filterset.errors else 200,
    )


def editable_stack(request: HttpRequest, slug: str) -> Stack:
    """The stack, if the reader may edit it; 404 when unknown, 403 otherwise."""
    stack = get_object_or_404(Stack.objects.with_owner(), slug=slug)
    if not can_edit_stack(request.user, stack):
        raise PermissionDenied("Only the stack's owners and editors can change it.")
    return stack


def editor_response(
    request: HtmxHttpRequest, stack: Stack, *, status: int = 200, **extra: object
) -> HttpResponse:
    """htmx gets the refreshed editor (tools and timeline); others a redirect."""
    if request.htmx:
        context = stack_context(request, stack, can_edit=True, oob=True, **extra)
        return render(
            request, "stacks/stack_detail.html#stack-editor", context, status=status
        )
    if status >= 400:
        context = stack_context(request, stack, can_edit=True, **extra)
        return render(request, "stacks/stack_detail.html", context, status=status)
    return redirect(f"{stack.get_absolute_url()}#tools")


@login_required
@require_POST
@vary_on_headers(*FRAGMENT_HEADERS)
def stack_add_tool(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    stack = editable_stack(request, slug)
    form = AddToolForm(request.POST)
    if not form.is_valid():
        return editor_response(request, stack, status=400, add_form=form)
    tool = form.cleaned_data["tool"]
    _, created = services.add_tool_to_stack(
        stack=stack,
        tool=tool,
        added_by=request.user,
        note=form.cleaned_data["note"],
    )
    notice = f"Added {tool.name}." if created else f"{tool.name} is already listed."
    if not request.htmx:
        messages.success(request, notice)
    return editor_response(request, stack, notice=notice)


@login_required
@require_POST
@vary_on_headers(*FRAGMENT_HEADERS)
def stack_remove_tool(
    request: AuthenticatedHttpRequest, slug: str, tool_slug: str
) -> HttpResponse:
    stack = editable_stack(request, slug)
    tool = get_object_or_404(Tool, slug=tool_slug)
    removed = services.remove_tool_from_stack(
        stack=stack,
        tool=tool,
        removed_by=request.user,
    )
    notice = f"Removed {tool.name}." if removed else f"{tool.name} was not listed."
    if not request.htmx:
        messages.success(request, notice)
    return editor_response(request, stack, notice=notice)


@login_required
@require_POST
@vary_on_headers(*FRAGMENT_HEADERS)
def stack_edit_note(
    request: AuthenticatedHttpRequest, slug: str, tool_slug: str
) -> HttpResponse:
    stack = editable_stack(request, slug)
    item = get_object_or_404(
        StackItem.objects.select_related("tool"), stack=stack, tool__slug=tool_slug
    )
    form = NoteForm(request.POST)
    if not form.is_valid():
        return editor_response(
            request, stack, status=400, notice=form.errors["note"][0]
        )
    services.edit_stack_note(item=item, note=form.cleaned_data["note"])
    notice = f"Saved the note on {item.tool.name}."
    if not request.htmx:
        messages.success(request, notice)
    return editor_response(request, stack, notice=notice)
