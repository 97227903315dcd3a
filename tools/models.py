"""The tool catalog: the category tree, tools, aliases, votes, follows, pros and cons."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Self
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import (
    SearchVectorField,
)
from django.db import models
from django.db.models import (
    Case,
    F,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.text import slugify

from stackshare.paths import slug_path
from tools.logos import Mark, ShippedLogo, generated_mark, shipped_logos

MAX_QUERY_LENGTH = 100
# Pickers show a handful; ranking more would only cost time.
AUTOCOMPLETE_RANKED = 20
PROCON_MAX_LENGTH = 140


class CategoryLevel(models.IntegerChoices):
    LAYER = 1, "Layer"
    CATEGORY = 2, "Category"
    FUNCTION = 3, "Function"


class CategoryQuerySet(models.QuerySet["Category"]):
    def layers(self) -> Self:
        """The four top-level layers, in their display order."""
        return self.filter(level=CategoryLevel.LAYER).order_by("position", "name")

    def functions(self) -> Self:
        """The leaves of the tree, where tools have their primary place."""
        return self.filter(level=CategoryLevel.FUNCTION)


class Category(models.Model):
    """A node of the Layer > Category > Function tree."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(choices=CategoryLevel)
    description = models.CharField(max_length=240, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Kept exact by the follow services, like Tool.follower_count.
    follower_count = models.PositiveIntegerField(default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=CategoryLevel.values), name="category_level_valid"
            ),
            # A layer has no parent; everything below a layer has one.
            models.CheckConstraint(
                condition=Q(level=CategoryLevel.LAYER, parent__isnull=True)
                | Q(level__gt=CategoryLevel.LAYER, parent__isnull=False),
                name="category_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_path("tools:category", self.slug)

    @property
    def is_function(self) -> bool:
        return self.level == CategoryLevel.FUNCTION

    def ancestors(self) -> list[Category]:
        """Layer first, down to this node's parent; needs parent__parent selected."""
        chain: list[Category] = []
        node = self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def path(self) -> str:
        """ "Application & Data > Languages & Frameworks > Microframeworks"."""
        return " > ".join(node.name for node in [*self.ancestors(), self])


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

    # Maintained by a PostgreSQL trigger (see migrations); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

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
            models.Index(fields=["status", "-vote_count"], name="tool_status_votes"),
            models.Index(fields=["status", "-github_stars"], name="tool_status_stars"),
            models.Index(fields=["status", "-created_at"], name="tool_status_newest"),
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


class Ecosystem(models.TextChoices):
    PYPI = "pypi", "PyPI"
    NPM = "npm", "npm"
    RUBYGEMS = "rubygems", "RubyGems"
    GOMOD = "gomod", "Go modules"
    CARGO = "cargo", "Cargo"
    PACKAGIST = "packagist", "Packagist"
    MAVEN = "maven", "Maven"
    DOCKER = "docker", "Docker image"
    NUGET = "nuget", "NuGet"
    ACTIONS = "actions", "GitHub Action"
    HEX = "hex", "Hex"
    PUB = "pub", "pub.dev"
    COCOAPODS = "cocoapods", "CocoaPods"
    # Swift packages are named by their repository ("github.com/owner/name"),
    # as SwiftPM identifies them and as Package URLs of type "swift" spell them.
    SWIFTPM = "swiftpm", "Swift packages"


def normalize_package_name(ecosystem: str, name: str) -> str:
    """Spell a package name the way its registry compares names."""
    name = name.strip()
    if ecosystem == Ecosystem.PYPI:
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem == Ecosystem.SWIFTPM:
        from scanner.swift import package_identity

        return package_identity(name)
    if ecosystem in {
        Ecosystem.NPM,
        Ecosystem.DOCKER,
        Ecosystem.ACTIONS,
        Ecosystem.RUBYGEMS,
        # Pod names are unique whatever their case on the CocoaPods trunk.
        Ecosystem.COCOAPODS,
    }:
        return name.lower()
    return name


def parse_alias(text: str) -> tuple[str, str] | None:
    """ "pypi:flask" or the Package URL "pkg:pypi/flask" -> ("pypi", "flask").

    Package URLs are the spelling of SBOMs and package indexes; a version or
    qualifiers in one are ignored. None when the text names no ecosystem we know.
    """
    text = text.strip()
    if text.startswith("pkg:"):
        from scanner.signals import from_purl

        found = from_purl(text)
        return (found[0], found[1]) if found else None
    ecosystem, _, name = text.partition(":")
    if ecosystem not in Ecosystem.values or not name.strip():
        return None
    return ecosystem, name.strip()


class Alias(models.Model):
    """A package identity that means the tool: ``pypi:flask``, ``docker:postgres``."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="aliases")
    ecosystem = models.CharField(max_length=12, choices=Ecosystem)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["ecosystem", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["ecosystem", "name"], name="alias_unique_package"
            ),
            models.CheckConstraint(
                condition=Q(ecosystem__in=Ecosystem.values),
                name="alias_ecosystem_valid",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="alias_name")]

    def __str__(self) -> str:
        return f"{self.ecosystem}:{self.name}"


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
            # "New followers this month" across all tools, for trending.
            models.Index(fields=["created_at"], name="toolfollow_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.tool}"


class CategoryFollow(models.Model):
    """A member follows a node of the catalog tree, and so every tool below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="category_follows",
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="categoryfollow_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.category}"


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


class ProConKind(models.TextChoices):
    PRO = "pro", "Pro"
    CON = "con", "Con"


def normalize_statement(text: str) -> str:
    """Compare pros and cons without case, spacing or trailing punctuation."""
    return re.sub(r"\s+", " ", text).strip().rstrip(".!").lower()


class ProConQuerySet(models.QuerySet["ProCon"]):
    def visible(self) -> Self:
        """Pros and cons that moderators have not hidden."""
        return self.filter(is_hidden=False)

    def top(self) -> Self:
        """Most voted first, older first among equals."""
        return self.order_by("-vote_count", "created_at", "id")

    def top_per_kind(self, limit: int) -> Self:
        """The ``limit`` most voted pros and the ``limit`` most voted cons of
        each tool, in one query, grouped by tool and kind."""
        return (
            self.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("tool_id"), F("kind")],
                    order_by=[
                        F("vote_count").desc(),
                        F("created_at").asc(),
                        F("pk").asc(),
                    ],
                )
            )
            .filter(rank__lte=limit)
            .order_by("tool_id", "kind", "rank")
        )


class ProCon(models.Model):
    """A short statement for or against a tool, which members vote on."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="procons")
    kind = models.CharField(max_length=3, choices=ProConKind)
    text = models.CharField(max_length=PROCON_MAX_LENGTH)
    normalized = models.CharField(max_length=PROCON_MAX_LENGTH, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procons",
    )
    vote_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField("hidden", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProConQuerySet.as_manager()

    class Meta:
        verbose_name = "pro or con"
        verbose_name_plural = "pros and cons"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProConKind.values), name="procon_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["tool", "normalized"], name="procon_unique_statement"
            ),
        ]
        indexes = [
            models.Index(fields=["tool", "kind", "-vote_count"], name="procon_top"),
        ]

    def __str__(self) -> str:
        return self.text


class ProConVote(models.Model):
    """A member's vote on a pro or con; one each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="procon_votes"
    )
    procon = models.ForeignKey(ProCon, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "procon"], name="proconvote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} voted on {self.procon}"


class Synonym(models.Model):
    """Another name people type for a tool: an abbreviation, a nickname, an
    old name (``k8s``, ``psql``, ``gh actions``). Kept in
    ``tools/data/synonyms.toml`` and editable in the back office."""

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text="As people type it, e.g. “k8s”; compared without case, spaces or dots.",
    )
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="synonyms")

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.tool}"


class SearchKeyKind(models.IntegerChoices):
    """What a search key was made from, best match first."""

    NAME = 1, "Name"
    SYNONYM = 2, "Synonym"
    ALIAS = 3, "Package name"
    WORD = 4, "Word of the name"


class SearchKey(models.Model):
    """A normalised way to name a tool (``tools.keys.search_key``).

    Written only by ``tools.search.index_tools``; search compares the
    query's key with these, the same way on every database.
    """

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=200)
    kind = models.PositiveSmallIntegerField(choices=SearchKeyKind)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "key", "kind"], name="searchkey_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SearchKeyKind.values),
                name="searchkey_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["key"], name="searchkey_key")]

    def __str__(self) -> str:
        return self.key


# Where a package can be looked up, to pre-fill a tool created from it.
REGISTRY_PAGES = {
    Ecosystem.PYPI: "https://pypi.org/project/{name}/",
    Ecosystem.NPM: "https://www.npmjs.com/package/{name}",
    Ecosystem.RUBYGEMS: "https://rubygems.org/gems/{name}",
    Ecosystem.GOMOD: "https://pkg.go.dev/{name}",
    Ecosystem.CARGO: "https://crates.io/crates/{name}",
    Ecosystem.PACKAGIST: "https://packagist.org/packages/{name}",
    Ecosystem.NUGET: "https://www.nuget.org/packages/{name}",
    Ecosystem.HEX: "https://hex.pm/packages/{name}",
    Ecosystem.PUB: "https://pub.dev/packages/{name}",
    Ecosystem.ACTIONS: "https://github.com/{name}",
    Ecosystem.COCOAPODS: "https://cocoapods.org/pods/{name}",
    Ecosystem.SWIFTPM: "https://{name}",
}


class UnknownPackage(models.Model):
    """A package that scans and imports found but no tool's alias names: demand.

    ``stack_count`` counts distinct stacks (one ``UnknownPackageSighting``
    each), so scanning the same stack again adds a scan, never a stack.
    """

    ecosystem = models.CharField(max_length=12, choices=Ecosystem)
    name = models.CharField(max_length=200, help_text="As the registry compares names.")
    display_name = models.CharField(max_length=200)
    scan_count = models.PositiveIntegerField("scans", default=0)
    stack_count = models.PositiveIntegerField("stacks", default=0)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    resolved_tool = models.ForeignKey(
        Tool,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The tool it became, or became an alias of.",
    )

    class Meta:
        ordering = ["-stack_count", "-scan_count", "ecosystem", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ecosystem", "name"], name="unknownpackage_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["-stack_count", "-scan_count"], name="unknownpackage_wanted"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ecosystem}:{self.display_name}"

    @property
    def registry_url(self) -> str:
        page = REGISTRY_PAGES.get(self.ecosystem)  # type: ignore[call-overload]  # ecosystem is a str; the dict is keyed by its choices
        return page.format(name=self.display_name) if page else ""


class UnknownPackageSighting(models.Model):
    """One stack in which an unknown package was found, and how often."""

    package = models.ForeignKey(
        UnknownPackage, on_delete=models.CASCADE, related_name="sightings"
    )
    stack = models.ForeignKey(
        "stacks.Stack", on_delete=models.CASCADE, related_name="+"
    )
    scan_count = models.PositiveIntegerField(default=1)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["package", "stack"], name="unknownsighting_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} in stack {self.stack_id}"
