"""Tools: their status, reads, old slugs, curated alternatives, and members' follows, mutes and upvotes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Self
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.text import slugify

from stackshare.paths import slug_path
from tools.logos import Mark, ShippedLogo, generated_mark, shipped_logos
from tools.models.categories import Category, CategoryLevel

MAX_QUERY_LENGTH = 100
# Pickers show a handful; ranking more would only cost time.
AUTOCOMPLETE_RANKED = 20


class ToolStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ToolQuerySet(models.QuerySet["Tool"]):
    def approved(self) -> Self:
        """Tools readers may see."""
        return self.filter(status=ToolStatus.APPROVED)

    def with_category_path(self) -> Self:
        """Select the function, its category and its layer in the same query."""
        return self.select_related("function__parent__parent")

    def with_curation_flag(self) -> Self:
        """Whether moderators curated each tool's alternatives, as
        ``has_curated_alternatives``: a tool page then knows which list to
        read without asking first (see ``tools.views.tool_page``)."""
        curated = Alternative.objects.filter(tool=models.OuterRef("pk"))
        return self.annotate(has_curated_alternatives=models.Exists(curated))

    def in_category(self, category: Category) -> Self:
        """Tools whose primary function is this node or lies below it."""
        if category.level == CategoryLevel.FUNCTION:
            return self.filter(function=category)
        if category.level == CategoryLevel.CATEGORY:
            return self.filter(function__parent=category)
        return self.filter(function__parent__parent=category)

    def with_trending(self, *, days: int = 30) -> Self:
        """Annotate ``trending``: new followers (and later stacks) in the last days."""
        since = timezone.now() - timedelta(days=days)
        recent_follows = (
            ToolFollow.objects.filter(tool=models.OuterRef("pk"), created_at__gte=since)
            .values("tool")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            trending=models.functions.Coalesce(models.Subquery(recent_follows), 0)
        )

    def most_trending(self, limit: int, *, days: int = 30) -> list[Tool]:
        """The first ``limit`` of these tools in trending order (``with_trending``:
        new followers in the last days, then followers, then name).

        Performance: the recent follows are counted first, off an index of
        follows by date, and only the tools followed most are annotated.
        Annotating every tool read each one's follows: 94 ms at 20,000
        tools and 57,000 follows a month, against about 20 ms. Exact: a tool not counted has at most as many
        new followers as the last one counted, so only a tie there, which
        could hide an equal tool, annotates every tool as before; and when
        fewer tools than that were followed at all, the list ends with the
        most followed of the others, who have none.
        """
        since = timezone.now() - timedelta(days=days)
        counted = limit * 4
        counts = list(
            ToolFollow.objects.filter(created_at__gte=since)
            .values("tool")
            .annotate(n=models.Count("*"))
            .order_by("-n")
            .values_list("tool", "n")[:counted]
        )
        candidates = [pk for pk, _ in counts]
        if len(counts) < counted:
            # Every tool with a new follower was counted; the most followed
            # of the others, who have none, may fill the list.
            candidates += (
                self.exclude(pk__in=candidates)
                .order_by("-follower_count", "name")
                .values_list("pk", flat=True)[:limit]
            )
        order = ("-trending", "-follower_count", "name")
        first: list[Tool] = list(
            self.filter(pk__in=candidates)
            .annotate(
                trending=Case(
                    *(When(pk=pk, then=Value(n)) for pk, n in counts),
                    default=Value(0),
                )
            )
            .order_by(*order)[:limit]
        )
        if len(counts) < counted:
            return first
        if len(first) == limit and first[-1].trending > counts[-1][1]:  # type: ignore[attr-defined]  # annotated above
            return first
        # A tie where the counting stopped may hide an equal tool.
        return list(self.with_trending().order_by(*order)[:limit])

    def search(self, query: str) -> Self:
        """These tools matching a reader's query, in the site's ranking.

        The queryset form of ``tools.search.search_tools`` (see there), for
        callers that filter or slice further.
        """
        from tools.search import rank_tool_ids  # search reads these models

        return self.in_ranked_order(rank_tool_ids(query, tools=self))

    def autocomplete(self, query: str) -> Self:
        """Like ``search`` without descriptions, for pickers; the caller
        slices it."""
        from tools.search import rank_tool_ids

        return self.in_ranked_order(
            rank_tool_ids(
                query, tools=self, limit=AUTOCOMPLETE_RANKED, descriptions=False
            )
        )

    def in_ranked_order(self, ids: list[int]) -> Self:
        """These tools among ``ids``, in the order of ``ids``."""
        if not ids:
            return self.none()
        position = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)],
            default=Value(len(ids)),
        )
        return (
            self.filter(pk__in=ids)
            .annotate(search_rank=position)
            .order_by("search_rank")
        )

    def likely_duplicates(
        self, *, name: str, website: str = "", repository_url: str = ""
    ) -> Self:
        """Tools a submission probably repeats: same slug, website host or repository."""
        matches = Q(slug=slugify(name)) | Q(name__iexact=name.strip())
        host = urlsplit(website).netloc.lower().removeprefix("www.")
        if host:
            matches |= Q(website__icontains=f"//{host}") | Q(
                website__icontains=f".{host}"
            )
        if repository_url:
            matches |= Q(
                repository_url__iexact=repository_url.rstrip("/").removesuffix(".git")
            )
        alias_names = {slugify(name), name.strip().lower()}
        matches |= Q(aliases__name__in=alias_names)
        return self.filter(matches).exclude(status=ToolStatus.REJECTED).distinct()

    def ranked(self, *first: Any) -> Self:
        """Most used first; deprecated tools sink below the rest.

        ``first`` are orderings that come before the ranking.
        """
        return self.order_by(
            *first, "is_deprecated", "-stack_count", "-follower_count", "name"
        )


class Tool(models.Model):
    """Anything a team can put in a stack."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    function = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="tools",
        limit_choices_to={"level": CategoryLevel.FUNCTION},
        help_text="The tool's primary place in the catalog.",
    )
    tags = models.ManyToManyField(
        Category,
        blank=True,
        related_name="tagged_tools",
        limit_choices_to={"level": CategoryLevel.FUNCTION},
        help_text="Further functions the tool also fits.",
    )
    tagline = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    website = models.URLField(max_length=300, blank=True)
    repository_url = models.URLField("repository", max_length=300, blank=True)
    license = models.CharField("licence", max_length=60, blank=True)
    is_open_source = models.BooleanField("open source", default=False)
    logo = models.ImageField(upload_to="logos/", blank=True)

    status = models.CharField(
        max_length=10, choices=ToolStatus, default=ToolStatus.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_tools",
    )
    is_deprecated = models.BooleanField("deprecated", default=False)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text="For a deprecated tool: what to use instead.",
    )

    # Counters kept exact by the services that change them, in the same
    # transaction, so listings sort on a column instead of counting rows.
    stack_count = models.PositiveIntegerField(default=0)
    follower_count = models.PositiveIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)

    github_stars = models.PositiveIntegerField(null=True, blank=True)
    github_forks = models.PositiveIntegerField(null=True, blank=True)
    github_pushed_at = models.DateTimeField(null=True, blank=True)
    github_synced_at = models.DateTimeField(null=True, blank=True)
    github_etag = models.CharField(max_length=100, blank=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ToolStatus.values), name="tool_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")), name="tool_successor_not_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-stack_count"], name="tool_status_stacks"),
            models.Index(
                fields=["status", "-follower_count"], name="tool_status_followers"
            ),
            # The catalog sorted by votes or stars (tools.filters.SORTS),
            # walked until a page is full: /tools/?sort=stars sorted every
            # approved tool (47 ms at scale 1).
            models.Index(
                fields=["status", "is_deprecated", "-vote_count", "name"],
                name="tool_sorted_by_votes",
            ),
            models.Index(
                fields=["status", "is_deprecated", "-github_stars", "name"],
                name="tool_sorted_by_stars",
            ),
            models.Index(fields=["status", "-created_at"], name="tool_status_newest"),
            # The catalog and the category pages in ranking order
            # (QuerySet.ranked), walked until a page is full: a layer's first
            # page took 19 ms to sort at scale 1, /tools/ 36 ms; 2 ms each.
            models.Index(
                fields=[
                    "status",
                    "is_deprecated",
                    "-stack_count",
                    "-follower_count",
                    "name",
                ],
                name="tool_ranked",
            ),
            # The catalog's licence filter, read from the index alone
            # (12 ms as a table scan at scale 1, 3 ms).
            models.Index(fields=["status", "license"], name="tool_licences"),
            # A function's tools in ranking order (QuerySet.ranked), for a
            # tool's alternatives and a function's listing. Not partial on
            # the approved status: PostgreSQL can take such an index for that
            # filter alone, and with it the PostgreSQL suite hung in a package
            # match joining aliases to approved tools (tables not analysed).
            models.Index(
                fields=[
                    "function",
                    "is_deprecated",
                    "-stack_count",
                    "-follower_count",
                    "name",
                ],
                name="tool_ranked_in_function",
            ),
            # A category's approved tools, read from the index alone (its
            # adoption movers): for a layer, a third of the catalog, which
            # PostgreSQL read by scanning the table (42 ms at scale 1; 13 ms).
            models.Index(
                fields=["function", "status"], include=["id"], name="tool_in_function"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("tools:detail", self.slug)

    @property
    def is_approved(self) -> bool:
        return self.status == ToolStatus.APPROVED

    @property
    def shipped_logo(self) -> ShippedLogo | None:
        """The logo that comes with the catalog, if its licence allowed one."""
        return shipped_logos().get(self.slug)

    @property
    def generated_mark(self) -> Mark:
        """The mark shown when the tool has no logo at all."""
        return generated_mark(self.slug)

    @property
    def github_repo(self) -> str:
        """ "owner/name" when the repository is on GitHub, else ""."""
        parts = urlsplit(self.repository_url)
        if parts.netloc.lower() not in {"github.com", "www.github.com"}:
            return ""
        path = parts.path.strip("/").removesuffix(".git").split("/")
        return "/".join(path[:2]) if len(path) >= 2 else ""

    @property
    def website_host(self) -> str:
        return urlsplit(self.website).netloc.lower().removeprefix("www.")


class ToolRedirect(models.Model):
    """An old slug (of a merged or renamed tool) that now answers with a redirect."""

    old_slug = models.SlugField(max_length=100, unique=True)
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.tool.slug}"


class Alternative(models.Model):
    """A curated "can replace" link from one tool to another."""

    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="alternative_links"
    )
    alternative = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "alternative"], name="alternative_unique"
            ),
            models.CheckConstraint(
                condition=~Q(tool=F("alternative")), name="alternative_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool} → {self.alternative}"


class ToolFollow(models.Model):
    """A member follows a tool."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tool_follows"
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tool"], name="toolfollow_once"),
        ]
        indexes = [
            models.Index(fields=["tool", "created_at"], name="toolfollow_recent"),
            # "New followers this month" across all tools, for trending,
            # counted from the index alone (ToolQuerySet.most_trending).
            models.Index(
                fields=["created_at"], include=["tool"], name="toolfollow_created"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.tool}"


class ToolMute(models.Model):
    """A member asks to hear nothing about a tool in their feed and e-mails."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tool_mutes"
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="mutes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tool"], name="toolmute_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.tool}"


class ToolVote(models.Model):
    """A member's upvote of a tool; one each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tool_votes"
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tool"], name="toolvote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} upvoted {self.tool}"
