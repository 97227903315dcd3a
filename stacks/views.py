"""Company and stack pages, member management, stack editing and imports."""

from __future__ import annotations

import contextlib
import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import (
    PermissionDenied,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers

import scanner
from accounts.models import User
from accounts.services import resize_avatar
from decisions.models import Decision
from scanner.limits import human_size
from stacks import services
from stacks.filters import CompanyFilter, StackFilter
from stacks.forms import (
    MAX_UPLOAD_FILES,
    MAX_UPLOAD_TOTAL,
    AddToolForm,
    CompanyForm,
    ImportForm,
    MemberAddForm,
    NoteForm,
    RoleForm,
    StackForm,
)
from stacks.models import (
    Company,
    CompanyFollow,
    CompanyMembership,
    CompanyMute,
    Role,
    Stack,
    StackHistory,
    StackItem,
    company_page_version,
    stack_page_version,
)
from stackshare.caching import STRUCTURE, cache_page
from stackshare.htmx import FRAGMENT_HEADERS
from stackshare.toggles import reader_state, toggle
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest
from tools.models import Category, Tool

COMPANY_DECISIONS_SHOWN = 5
# The largest import request read at all: the files and text an import may
# bring, plus room for the form's other fields and the multipart framing.
MAX_IMPORT_REQUEST = MAX_UPLOAD_TOTAL + 64 * 1024
# Imports read at the same time, site-wide. An import holds a worker for up
# to a few tenths of a second of CPU (scanner/limits.py); with one at a time,
# members importing together never hold more than one worker, however many
# they are. An import that took much CPU (a large one) also keeps its slot for
# a pause at least as long, so back-to-back large imports use at most half of
# one core; small imports, the usual ones, free it at once. Imports arriving
# meanwhile are asked to come back a moment later: 429 with Retry-After, a
# client error rather than 503, as the site itself is well.
IMPORTS_AT_ONCE = 1
IMPORT_PAUSE_AFTER = 0.1
# A slot frees itself after this long even if its worker was killed (gunicorn's
# timeout is 30 s).
IMPORT_SLOT_SECONDS = 60
IMPORT_RETRY_SECONDS = 2

PAGE_SIZE = 24
TIMELINE_SIZE = 30


# --- Companies ---------------------------------------------------------------


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def company_list(request: HtmxHttpRequest) -> HttpResponse:
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.all())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "stacks/company_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#company-results"
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
def company_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo = data.pop("logo", None)
        if isinstance(logo, UploadedFile):
            data["logo"] = resize_avatar(logo)
        company = services.create_company(created_by=request.user, **data)
        messages.success(
            request,
            f"{company.name} is on stackshare and you are its owner. Add its first stack.",
        )
        return redirect(company)
    return render(
        request,
        "stacks/company_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def membership_of(user: object, company: Company) -> CompanyMembership | None:
    if not isinstance(user, User):
        return None
    return CompanyMembership.objects.filter(company=company, user=user).first()


def company_versions(kwargs: dict[str, Any]) -> list[str]:
    """A company page changes with the company: its details, members, stacks,
    followers and posts (see stacks.services.company_changed)."""
    return [STRUCTURE, company_page_version(kwargs["slug"])]


@require_safe
@cache_page(company_versions, params=())
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company.objects.with_members(), slug=slug)
    memberships = list(company.memberships.all())
    mine = next((m for m in memberships if m.user_id == request.user.pk), None)
    stacks = list(
        company.stacks.order_by("name").prefetch_related(
            Prefetch(
                "items",
                queryset=StackItem.objects.select_related("tool").order_by(
                    "-tool__stack_count", "tool__name"
                ),
            )
        )
    )
    # Posts written at the company, as their author lines say; the same
    # posts as the decisions list filtered on the company.
    decisions = list(
        Decision.objects.visible()
        .filter(company=company)
        .with_cards()
        .newest()[:COMPANY_DECISIONS_SHOWN]
    )
    return render(
        request,
        "stacks/company_detail.html",
        {
            "company": company,
            "memberships": memberships,
            "membership": mine,
            "stacks": stacks,
            "decisions": decisions,
            **company_reader_state(request, company),
        },
    )


def company_reader_state(request: HttpRequest, company: Company) -> dict[str, bool]:
    """Whether the signed-in reader follows or mutes the company (one query)."""
    user = request.user
    if not user.is_authenticated:
        return {"is_following": False, "is_muted": False}
    return reader_state(
        company,
        is_following=CompanyFollow.objects.filter(user=user, company=OuterRef("pk")),
        is_muted=CompanyMute.objects.filter(user=user, company=OuterRef("pk")),
    )


@login_required
@require_POST
def company_follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    user = request.user

    def button(is_on: bool) -> dict[str, object]:
        company.refresh_from_db(fields=["follower_count"])
        return {"company": company, "is_following": is_on}

    return toggle(
        request,
        turn_on=lambda: services.follow_company(user=user, company=company),
        turn_off=lambda: services.unfollow_company(user=user, company=company),
        fragment="stacks/company_detail.html#company-follow-button",
        context=button,
        back=company,
    )


@login_required
@require_POST
def company_mute(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.mute_company(user=user, company=company),
        turn_off=lambda: services.unmute_company(user=user, company=company),
        fragment="stacks/company_detail.html#company-mute-button",
        context=lambda is_on: {"company": company, "is_muted": is_on},
        back=company,
    )


def owned_company(request: HttpRequest, slug: str) -> Company:
    """The company, if the reader owns it; 404 when unknown, 403 otherwise."""
    company = get_object_or_404(Company, slug=slug)
    mine = membership_of(request.user, company)
    if mine is None or not mine.is_owner:
        raise PermissionDenied("Only the company's owners can do that.")
    return company


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = owned_company(request, slug)
    form = CompanyForm(request.POST or None, request.FILES or None, instance=company)
    if request.method == "POST":
        if form.is_valid():
            logo = form.cleaned_data.get("logo")
            if isinstance(logo, UploadedFile):
                resized = resize_avatar(logo)
                company.logo.save(resized.name, resized, save=False)  # type: ignore[arg-type]  # resize_avatar always names the file
            services.update_company(
                company=form.save(commit=False), changed=form.changed_data
            )
            messages.success(request, "The company's details are saved.")
            return redirect(company)
        company.refresh_from_db()
    return render(
        request,
        "stacks/company_form.html",
        {"form": form, "company": company},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def company_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    company = owned_company(request, slug)
    form = MemberAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = form.cleaned_data["username"]
            try:
                services.add_company_member(
                    company=company, user=user, role=Role(form.cleaned_data["role"])
                )
            except ValidationError as error:
                form.add_error("username", error)
            else:
                messages.success(request, f"{user.name} now belongs to {company.name}.")
                return redirect("stacks:company_members", slug=company.slug)
        status = 400
    memberships = list(
        company.memberships.select_related("user").order_by(
            "role_rank", "user__display_name", "user__username"
        )
    )
    return render(
        request,
        "stacks/company_members.html",
        {
            "company": company,
            "memberships": memberships,
            "form": form,
            "roles": Role.choices,
        },
        status=status,
    )


@login_required
@require_POST
def company_member_role(
    request: AuthenticatedHttpRequest, slug: str, username: str
) -> HttpResponse:
    company = owned_company(request, slug)
    membership = get_object_or_404(
        CompanyMembership.objects.select_related("user"),
        company=company,
        user__username=username,
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick one of the roles: owner, editor or member.")
        return redirect("stacks:company_members", slug=company.slug)
    try:
        services.set_company_role(
            company=company, user=membership.user, role=Role(form.cleaned_data["role"])
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("stacks:company_members", slug=company.slug)
    messages.success(
        request,
        f"{membership.user.name} is now {Role(form.cleaned_data['role']).label.lower()}.",
    )
    return redirect("stacks:company_members", slug=company.slug)


@login_required
@require_POST
def company_member_remove(
    request: AuthenticatedHttpRequest, slug: str, username: str
) -> HttpResponse:
    company = owned_company(request, slug)
    membership = get_object_or_404(
        CompanyMembership.objects.select_related("user"),
        company=company,
        user__username=username,
    )
    try:
        services.remove_company_member(company=company, user=membership.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("stacks:company_members", slug=company.slug)
    messages.success(
        request, f"{membership.user.name} no longer belongs to {company.name}."
    )
    if membership.user_id == request.user.pk:
        return redirect(company)
    return redirect("stacks:company_members", slug=company.slug)


# --- Stacks ------------------------------------------------------------------


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
def stack_list(request: HtmxHttpRequest) -> HttpResponse:
    filterset = StackFilter(
        request.GET or None, queryset=Stack.objects.with_owner().with_preview()
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = "stacks/stack_list.html"
    if request.htmx and not request.htmx.history_restore_request:
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
    timeline = list(StackHistory.objects.filter(stack=stack).timeline()[:TIMELINE_SIZE])
    return {
        "stack": stack,
        "layers": group_by_layer(items),
        "item_count": len(items),
        "detected_count": sum(item.is_detected for item in items),
        "timeline": timeline,
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
def stack_detail(request: HttpRequest, slug: str) -> HttpResponse:
    stack = get_object_or_404(Stack.objects.with_owner(), slug=slug)
    context = stack_context(
        request, stack, can_edit=can_edit_stack(request.user, stack)
    )
    return render(request, "stacks/stack_detail.html", context)


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


# --- Import ------------------------------------------------------------------


@dataclass
class Upload:
    """What the submitted files and text held, before matching."""

    result: scanner.StackFile = field(default_factory=scanner.StackFile)
    origin: str = "upload"
    errors: list[str] = field(default_factory=list)


def read_upload(form: ImportForm) -> Upload:
    """Scan the files and the pasted text within one budget (``scanner.limits``)."""
    upload = Upload()
    budget = scanner.Budget()
    names = []
    for file in form.cleaned_data["files"]:
        name = scanner.relative_name(file.name or "upload")
        names.append(name)
        data = b"".join(file.chunks())
        upload.result.merge(scanner.read_manifest(name, data, budget=budget))
    text = form.cleaned_data.get("text", "")
    if text.strip():
        kind = form.cleaned_data.get("kind") or scanner.guess_kind(text)
        name = kind if kind and "." in kind else "pasted text"
        if kind is None:
            upload.result.warnings.append(
                scanner.Warning(
                    "pasted text",
                    "not a manifest this importer knows; pick its type in the list",
                )
            )
        else:
            upload.result.merge(
                scanner.read_manifest(
                    name, text.encode("utf-8"), kind=kind, budget=budget
                )
            )
        names.append("pasted text")
    upload.origin = f"upload of {', '.join(names)}"[:120]
    return upload


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # checked by read_import, once the body is known to be small
def stack_import(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Step one: upload or paste; the answer is the preview of what matched.

    The body's size is checked before anything reads it: the CSRF check
    would otherwise parse (and store) an upload of any size first.
    """
    stack = editable_stack(request, slug)
    if request.method != "POST":
        return render(
            request, "stacks/stack_import.html", {"stack": stack, "form": ImportForm()}
        )
    refusal = refuse_upload(request)
    if refusal is not None:
        message, status = refusal
        return render(
            request,
            "stacks/stack_import.html",
            {"stack": stack, "form": ImportForm(), "refusal": message},
            status=status,
        )
    slot = take_import_slot()
    if slot is None:
        response = render(
            request,
            "stacks/stack_import.html",
            {
                "stack": stack,
                "form": ImportForm(),
                "refusal": "Other imports are being read right now. "
                "Try again in a few seconds.",
            },
            status=429,
        )
        response["Retry-After"] = str(IMPORT_RETRY_SECONDS)
        return response
    # CPU time of this thread: what the pause is meant to bound, and not
    # stretched by other processes running on the same cores.
    started = time.thread_time()
    try:
        return read_import(request, stack)
    finally:
        release_import_slot(slot, seconds=time.thread_time() - started)


def take_import_slot() -> str | None:
    """A free import slot's cache key ("" when the cache cannot say); None when all are taken."""
    try:
        for number in range(IMPORTS_AT_ONCE):
            key = f"stacks:import-slot:{number}"
            if cache.add(key, True, IMPORT_SLOT_SECONDS):
                return key
    except Exception:  # the cache is down: read the import, its bounds still hold
        return ""
    return None


def release_import_slot(key: str, *, seconds: float) -> None:
    """Free the slot, or after an import of this much CPU, keep it for a pause as long.

    The cache counts expiry in whole seconds, so the pause is rounded up.
    """
    if not key:
        return
    with contextlib.suppress(Exception):
        if seconds < IMPORT_PAUSE_AFTER:
            cache.delete(key)
        else:
            cache.touch(key, math.ceil(seconds))


def refuse_upload(request: HttpRequest) -> tuple[str, int] | None:
    """Why an import request cannot be read, with its status; None when it can."""
    try:
        size = int(request.headers.get("content-length") or 0)
    except ValueError:
        size = 0
    if size > MAX_IMPORT_REQUEST:
        return (
            f"This upload has {human_size(size)}; one import reads up to "
            f"{human_size(MAX_UPLOAD_TOTAL)} in all. Upload the stack file from "
            "stackshare-scan, or fewer files at a time.",
            413,
        )
    try:
        # Parsed here, before any import slot is taken, so its errors get this
        # page and a slow upload holds no slot while it arrives.
        request.POST  # noqa: B018
    except TooManyFilesSent:
        return f"Upload at most {MAX_UPLOAD_FILES} files at a time.", 400
    except (TooManyFieldsSent, MultiPartParserError):
        return "This upload could not be read; choose the files again.", 400
    return None


@csrf_protect
def read_import(request: HttpRequest, stack: Stack) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "stacks/stack_import.html",
            {"stack": stack, "form": form},
            status=413 if form.is_too_big else 400,
        )
    upload = read_upload(form)
    detected = services.preview_import(
        upload.result.packages,
        stack=stack,
        warnings=upload.result.warnings,
        files=upload.result.files,
    )
    if detected.is_empty:
        problems = [f"{w.file}: {w.message}" for w in detected.warnings]
        form.add_error(
            None,
            "Nothing to import: no packages were found."
            + (f" {' '.join(problems)}" if problems else ""),
        )
        return render(
            request,
            "stacks/stack_import.html",
            {"stack": stack, "form": form},
            status=400,
        )
    return render(
        request,
        "stacks/stack_import.html",
        {"stack": stack, "detected": detected, "origin": upload.origin},
    )


@login_required
@require_POST
def stack_import_confirm(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Step two: add the tools the editor kept ticked, all in one transaction."""
    stack = editable_stack(request, slug)
    slugs = request.POST.getlist("tool")[:500]
    tools = list(Tool.objects.approved().filter(slug__in=slugs))
    if not tools:
        messages.error(request, "No tools were selected, so nothing was added.")
        return redirect("stacks:import", slug=stack.slug)
    origin = request.POST.get("origin", "upload")[:120] or "upload"
    added = services.import_into_stack(
        stack=stack,
        tools=[
            (tool, request.POST.get(f"file-{tool.slug}", "")[:300]) for tool in tools
        ],
        added_by=request.user,
        origin=origin,
    )
    skipped = len(tools) - len(added)
    messages.success(
        request,
        f"Added {len(added)} tool{'s' if len(added) != 1 else ''} to {stack.name}"
        + (f"; {skipped} were already listed." if skipped else "."),
    )
    return redirect(stack)


def stacks_of_member(member: User) -> list[Stack]:
    """A member's own stacks with a preview of their tools (for the profile)."""
    return list(member.stacks.order_by("name").with_preview())
