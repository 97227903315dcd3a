"""Importing a scanned or uploaded stack: upload, preview, confirm, one import at a time."""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

import scanner
from scanner.limits import human_size
from stacks import services
from stacks.forms import MAX_UPLOAD_FILES, MAX_UPLOAD_TOTAL, ImportForm
from stacks.models import Stack
from stacks.views.stacks import editable_stack
from stackshare.types import AuthenticatedHttpRequest
from tools.models import Tool

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
