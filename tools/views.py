"""Catalog pages: the tool list, categories, tool pages, search and the member actions on tools."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django.views.decorators.vary import vary_on_headers

from changes.models import tool_changes
from changes.trends import Movers, adoption_movers
from decisions.models import Decision
from stacks.models import ToolPairing, ToolUsers
from stackshare.caching import (
    LISTS,
    STRUCTURE,
    adoption_version,
    cache_page,
    category_version,
    kept,
    stamps,
    tool_content_version,
    tool_versions,
)
from stackshare.hostile import safe_next_url
from stackshare.htmx import FRAGMENT_HEADERS
from stackshare.toggles import reader_state, toggle
from stackshare.types import AuthenticatedHttpRequest, HtmxHttpRequest, acting_member
from stackups.models import Stackup
from tools import services
from tools.filters import ToolFilter
from tools.forms import ProConForm, ToolSubmissionForm
from tools.models import (
    Alternative,
    Category,
    CategoryFollow,
    CategoryLevel,
    ProCon,
    ProConKind,
    ProConVote,
    Tool,
    ToolFollow,
    ToolMute,
    ToolRedirect,
    ToolVote,
)

PAGE_SIZE = 24
TOP_PROCONS = 5
ALTERNATIVES_SHOWN = 6
DECISIONS_SHOWN = 5
STACKUPS_SHOWN = 3


@require_safe
@vary_on_headers(*FRAGMENT_HEADERS)
# Performance: anonymous readers are served from the shared cache until a
# write bumps the catalog's versions (stackshare.caching).
@cache_page([STRUCTURE, LISTS], params=[*ToolFilter.base_filters, "page"])
def tool_list(request: HtmxHttpRequest) -> HttpResponse:
    categories = list(Category.objects.order_by("position", "name"))
    licenses = list(
        Tool.objects.approved()
        .exclude(license="")
        .order_by("license")
        .values_list("license", flat=True)
        .distinct()
    )
    filterset = ToolFilter(
        request.GET or None,
        queryset=Tool.objects.approved().with_category_path(),
        categories=categories,
        licenses=licenses,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template_name = (
        "tools/tool_list.html#results"
        if (request.htmx and not request.htmx.history_restore_request)
        else "tools/tool_list.html"
    )
    return render(
        request,
        template_name,
        {"filterset": filterset, "page": page},
    )


@require_safe
@cache_page(
    lambda kwargs: [STRUCTURE, category_version(kwargs["slug"])], params=["page"]
)  # see tool_list
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(
        Category.objects.select_related("parent__parent"), slug=slug
    )
    # Performance: the children with their tool counts and the movers are
    # kept under the category's stacks figures (adoption_version), which
    # follows and votes leave alone: the page they expire is rendered again
    # with its tool list's two queries.
    children, movers = kept(
        f"category-figures:{slug}",
        partial(category_figures, category),
        versions=[STRUCTURE, adoption_version(slug)],
    )
    tools = Tool.objects.approved().in_category(category).with_category_path().ranked()
    page = Paginator(tools, PAGE_SIZE).get_page(request.GET.get("page"))
    is_following = (
        request.user.is_authenticated
        and CategoryFollow.objects.filter(user=request.user, category=category).exists()
    )
    return render(
        request,
        "tools/category_detail.html",
        {
            "category": category,
            "children": children,
            "page": page,
            "is_following": is_following,
            "movers": movers,
        },
    )


def category_figures(category: Category) -> tuple[list[Category], Movers]:
    """The category's children, each with its count of approved tools (one
    grouped query), and its rising and declining tools (changes app; one
    grouped query)."""
    children = list(category.children.order_by("position", "name"))
    counts: dict[int, int] = {}
    if children:
        level_field = (
            "function"
            if category.level == CategoryLevel.CATEGORY
            else "function__parent"
        )
        rows = (
            Tool.objects.approved()
            .filter(**{f"{level_field}__in": children})
            .values_list(level_field)
        )
        for (child_id,) in rows.iterator():
            counts[child_id] = counts.get(child_id, 0) + 1
    for child in children:
        child.tool_count = counts.get(child.pk, 0)  # type: ignore[attr-defined]
    return children, adoption_movers(category)


@login_required
@require_POST
def category_follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    user = request.user

    def button(is_on: bool) -> dict[str, object]:
        category.refresh_from_db(fields=["follower_count"])
        return {"category": category, "is_following": is_on}

    return toggle(
        request,
        turn_on=lambda: services.follow_category(user=user, category=category),
        turn_off=lambda: services.unfollow_category(user=user, category=category),
        fragment="tools/category_detail.html#category-follow-button",
        context=button,
        back=category,
    )


def get_tool_or_redirect(slug: str) -> Tool | HttpResponsePermanentRedirect:
    """The approved tool with this slug, or a permanent redirect from an old slug."""
    tool = (
        Tool.objects.approved()
        .with_category_path()
        .select_related("successor")
        .filter(slug=slug)
        .first()
    )
    if tool is not None:
        return tool
    return redirect_from_old_slug(slug)


def redirect_from_old_slug(slug: str) -> HttpResponsePermanentRedirect:
    """A permanent redirect from a merged or renamed tool's slug, else a 404."""
    moved = ToolRedirect.objects.select_related("tool").filter(old_slug=slug).first()
    if moved is not None and moved.tool.is_approved:
        return HttpResponsePermanentRedirect(moved.tool.get_absolute_url())
    raise Http404("No tool has this address.")


def alternatives_for(
    tool: Tool, *, limit: int = ALTERNATIVES_SHOWN
) -> tuple[list[Tool], bool]:
    """Curated alternatives, else the most used tools of the same function.

    Two queries: the curated ones' keys, then both kinds at once, curated
    ones first; returns the tools and whether they were curated.

    Performance: with the keys as a list, PostgreSQL reads two indexes (keys
    and function) rather than every tool, as it did for a subquery in the
    same OR (7 ms at scale 0.1, growing with the catalog).
    """
    curated_ids = list(
        Alternative.objects.filter(tool=tool).values_list("alternative_id", flat=True)
    )
    candidates = list(
        Tool.objects.approved()
        .filter(Q(pk__in=curated_ids) | Q(function_id=tool.function_id))
        .exclude(pk=tool.pk)
        .annotate(is_curated=Q(pk__in=curated_ids))
        .with_category_path()
        .ranked(F("is_curated").desc())[:limit]
    )
    curated = [candidate for candidate in candidates if candidate.is_curated]  # type: ignore[attr-defined]  # annotated above, unseen by django-stubs
    if curated:
        return curated, True
    return candidates, False


@require_safe
@cache_page(tool_versions, params=())  # see tool_list
def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Anonymous readers get the whole page from the page cache; its parts
    # are kept too, so that after a follow or a vote (which move the page's
    # versions, not its sections') the page is rendered without their queries.
    shared = SharedToolPage.of(slug)
    if shared is None:
        return redirect_from_old_slug(slug)
    return render(
        request,
        "tools/tool_detail.html",
        tool_page_context(request, shared, ProConForm()),
    )


class SharedToolPage:
    """What every reader of a tool page sees, from the shared cache.

    Performance: both parts are kept under the tool's versions
    (stackshare.caching). The tool is read on every view, for the page's
    title and its fragments' keys; the sections only when a fragment has to
    be rendered, so a page served from its fragments unpickles the tool alone
    and costs only the queries about its reader. The tool and its counters
    are kept under all its versions, the sections under its content's alone
    (``tool_content_version``), which follows and votes leave alone.
    """

    def __init__(
        self, tool: Tool, version: str, content_version: str, seconds: int
    ) -> None:
        self.tool = tool
        # The tool's versions' values, read once for everything the page keeps.
        self.version = version
        self.content_version = content_version
        self.seconds = seconds

    @classmethod
    def of(cls, slug: str, *, keep: bool = True) -> SharedToolPage | None:
        """The page of the approved tool with this slug; None when there is none."""
        seconds = settings.PAGE_CACHE_SECONDS if keep else 0
        version = content_version = ""
        if seconds:
            values = stamps(
                [*tool_versions({"slug": slug}), tool_content_version(slug)]
            )
            version = "-".join(values)
            content_version = "-".join([values[0], values[-1]])
        tool = kept(
            f"tool:{slug}:{version}",
            lambda: (
                Tool.objects.approved()
                .with_category_path()
                .select_related("successor")
                .filter(slug=slug)
                .first()
            ),
            seconds=seconds,
        )
        return None if tool is None else cls(tool, version, content_version, seconds)

    # Two entries: the pros and cons, which the page renders for every
    # reader (their votes), and the rest, read only when a kept fragment
    # has to be rendered again.
    @cached_property
    def procons(self) -> dict[str, object]:
        return kept(
            f"tool-procons:{self.tool.slug}:{self.content_version}",
            self.build_procons,
            seconds=self.seconds,
        )

    @cached_property
    def sections(self) -> dict[str, object]:
        return kept(
            f"tool-sections:{self.tool.slug}:{self.content_version}",
            self.build,
            seconds=self.seconds,
        )

    def section(self, name: str) -> object:
        if name in {"pros", "cons"}:
            return self.procons[name]
        return self.sections[name]

    def lazy_sections(self) -> dict[str, Callable[[], object]]:
        """The sections as template variables, fetched on first use: the
        template language calls a callable variable when it resolves it."""
        return {name: partial(self.section, name) for name in SHARED_SECTIONS}

    def build_procons(self) -> dict[str, object]:
        procons = list(
            ProCon.objects.visible().filter(tool=self.tool).top_per_kind(TOP_PROCONS)
        )
        return {
            "pros": [procon for procon in procons if procon.kind == ProConKind.PRO],
            "cons": [procon for procon in procons if procon.kind == ProConKind.CON],
        }

    def build(self) -> dict[str, object]:
        tool = self.tool
        alternatives, curated = alternatives_for(tool)
        return {
            "alternatives": alternatives,
            "alternatives_curated": curated,
            "aliases": list(tool.aliases.all()),
            # The sections other apps fill; their services bump the tool's
            # version when what they show here changes.
            "decisions": list(
                Decision.objects.visible()
                .tagging(tool)
                .with_cards()
                .newest()[:DECISIONS_SHOWN]
            ),
            "users": ToolUsers.of(tool),
            "often_used_with": ToolPairing.objects.often_used_with([tool]),
            # Moves in and out, monthly adoption (changes app; 3 queries).
            "changes": tool_changes(tool),
            # Most viewed changes as views are flushed; it may lag by the
            # cache's lifetime, which "most viewed" can afford.
            "stackups": list(
                Stackup.objects.including([tool])
                .with_tools()
                .most_viewed()[:STACKUPS_SHOWN]
            ),
        }


SHARED_SECTIONS = [
    "pros",
    "cons",
    "alternatives",
    "alternatives_curated",
    "aliases",
    "decisions",
    "users",
    "often_used_with",
    "changes",
    "stackups",
]


def tool_page_context(
    request: HttpRequest, shared: SharedToolPage, procon_form: ProConForm
) -> dict[str, object]:
    tool = shared.tool

    def state() -> dict[str, object]:
        procons = [*shared.section("pros"), *shared.section("cons")]  # type: ignore[misc]  # sections are built as Any-typed cached values (tools.views.SharedToolPage)
        return member_state(request, tool, procons)

    if request.user.is_authenticated:
        # Performance: what this reader did to the tool changes only through
        # writes that bump the tool's version, so it is kept under it too.
        reader = kept(
            f"member-state:{request.user.pk}:{tool.slug}:{shared.version}", state
        )
    else:
        reader = ANONYMOUS_STATE
    return {
        "tool": tool,
        **shared.lazy_sections(),
        "with_stats": True,
        "procon_form": procon_form,
        **reader,
        # A form with errors is its reader's own: its fragments are
        # rendered, neither read nor kept.
        "fragment_seconds": 0 if procon_form.is_bound else shared.seconds,
        "fragment_version": shared.version,
        "content_version": shared.content_version,
    }


ANONYMOUS_STATE: dict[str, object] = {
    "is_following": False,
    "has_voted": False,
    "is_muted": False,
    "voted_procons": frozenset(),
    "own_procons": frozenset(),
}


def member_state(
    request: HttpRequest, tool: Tool, procons: list[ProCon]
) -> dict[str, object]:
    """What the signed-in reader has done to this tool: follows, votes, mutes,
    and which of its points are their own."""
    user = acting_member(request)
    return {
        **reader_state(
            tool,
            is_following=ToolFollow.objects.filter(user=user, tool=OuterRef("pk")),
            has_voted=ToolVote.objects.filter(user=user, tool=OuterRef("pk")),
            is_muted=ToolMute.objects.filter(user=user, tool=OuterRef("pk")),
        ),
        "voted_procons": set(
            ProConVote.objects.filter(
                user=user, procon__in=[p.pk for p in procons]
            ).values_list("procon_id", flat=True)
        )
        if procons
        else set(),
        "own_procons": {p.pk for p in procons if p.author_id == user.pk},
    }


@require_safe
@cache_page(tool_versions, params=())  # see tool_list
def tool_alternatives(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_tool_or_redirect(slug)
    if isinstance(found, HttpResponsePermanentRedirect):
        return found
    alternatives, curated = alternatives_for(found, limit=24)
    return render(
        request,
        "tools/tool_alternatives.html",
        {"tool": found, "alternatives": alternatives, "alternatives_curated": curated},
    )


def approved_tool(slug: str) -> Tool:
    return get_object_or_404(Tool.objects.approved().with_category_path(), slug=slug)


def wants_stats(request: HttpRequest) -> bool:
    """Buttons on the tool page also refresh its statistics row."""
    return request.POST.get("stats") == "1"


@login_required
@require_POST
def tool_follow(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    tool = approved_tool(slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.follow_tool(user=user, tool=tool),
        turn_off=lambda: services.unfollow_tool(user=user, tool=tool),
        fragment="tools/tool_detail.html#follow-button",
        context=lambda is_on: tool_button(request, tool, is_following=is_on),
        back=tool,
    )


@login_required
@require_POST
def tool_vote(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    tool = approved_tool(slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.vote_for_tool(user=user, tool=tool),
        turn_off=lambda: services.withdraw_tool_vote(user=user, tool=tool),
        fragment="tools/tool_detail.html#vote-button",
        context=lambda is_on: tool_button(request, tool, has_voted=is_on),
        back=tool,
    )


def tool_button(request: HttpRequest, tool: Tool, **state: bool) -> dict[str, object]:
    """A tool page's follow or vote button, with the counters read afresh;
    on the tool page it refreshes the statistics row too."""
    tool.refresh_from_db(fields=["follower_count", "vote_count"])
    stats = wants_stats(request)
    return {"tool": tool, "with_stats": stats, "update_stats": stats, **state}


@login_required
@require_POST
def tool_mute(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Mute or unmute a tool: its news leaves the member's feed and e-mails."""
    tool = approved_tool(slug)
    user = request.user
    return toggle(
        request,
        turn_on=lambda: services.mute_tool(user=user, tool=tool),
        turn_off=lambda: services.unmute_tool(user=user, tool=tool),
        fragment="tools/tool_detail.html#mute-button",
        context=lambda is_on: {"tool": tool, "is_muted": is_on},
        back=tool,
        said=lambda is_on: (
            f"{tool.name} is muted: its news stays out of your feed."
            if is_on
            else f"{tool.name} is no longer muted."
        ),
    )


@login_required
@require_POST
def procon_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    tool = approved_tool(slug)
    form = ProConForm(request.POST)
    if form.is_valid():
        try:
            services.add_procon(
                tool=tool,
                kind=ProConKind(form.cleaned_data["kind"]),
                text=form.cleaned_data["text"],
                author=request.user,
            )
        except ValidationError as error:
            form.add_error("text", error)
    if form.errors:
        shared = SharedToolPage.of(tool.slug)
        if shared is None:  # taken down since
            raise Http404("No tool has this address.")
        context = tool_page_context(request, shared, form)
        return render(request, "tools/tool_detail.html", context, status=400)
    messages.success(
        request, "Thanks, your point is listed. Others can now vote on it."
    )
    return redirect(f"{tool.get_absolute_url()}#pros-cons")


@login_required
@require_POST
def procon_vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    procon = get_object_or_404(
        ProCon.objects.visible().filter(tool__status="approved").select_related("tool"),
        pk=pk,
    )
    user = request.user
    # The page the vote came from (a tool page or a stackup's comparison).
    next_url = safe_next_url(
        request, fallback=f"{procon.tool.get_absolute_url()}#pros-cons"
    )

    def button(is_on: bool) -> dict[str, object]:
        procon.refresh_from_db(fields=["vote_count"])
        return {
            "procon": procon,
            "tool": procon.tool,
            "voted": is_on,
            "vote_next": next_url,
        }

    return toggle(
        request,
        turn_on=lambda: services.vote_for_procon(user=user, procon=procon),
        turn_off=lambda: services.withdraw_procon_vote(user=user, procon=procon),
        fragment="tools/tool_detail.html#procon-vote",
        context=button,
        back=next_url,
        refused="That is your own point",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tool_submit(request: AuthenticatedHttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ToolSubmissionForm(request.POST if posted else None)
    duplicates: list[Tool] = []
    if posted and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            Tool.objects.likely_duplicates(
                name=data["name"],
                website=data["website"],
                repository_url=data["repository_url"],
            )
        )
        if not duplicates or request.POST.get("confirm") == "yes":
            tool = services.submit_tool(submitted_by=request.user, **data)
            messages.success(
                request,
                f"Thanks! {tool.name} is waiting for a moderator; it appears once approved.",
            )
            return redirect("tools:list")
    return render(
        request,
        "tools/tool_form.html",
        {"form": form, "duplicates": duplicates},
        status=400 if posted and form.errors else 200,
    )
