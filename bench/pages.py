"""The pages ``make bench`` drives, and the rows of the bench data they show.

Each page names an address built from the data (the most popular tool, the
busiest category, the most followed company, the most read decision,
the most viewed stackups of two and four tools...). A page whose address
does not resolve in this checkout is skipped with a note. Pages measured signed in carry "signed-in" in their name; "key"
pages are also measured at the small scale, to report how p95 grows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import Resolver404, resolve, reverse

from decisions.models import Decision
from stacks.models import Company
from stackups.models import Stackup
from tools.models import Category, CategoryLevel, Tool

MISSING = ""


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[], str]
    signed_in: bool = False
    key: bool = False
    # Sent along, e.g. the HX-Request header the header search sends.
    headers: tuple[tuple[str, str], ...] = ()


def popular_tool() -> str:
    """The most followed approved tool: the heaviest tool page."""
    tool = Tool.objects.approved().order_by("-follower_count", "pk").first()
    return reverse("tools:detail", kwargs={"slug": tool.slug}) if tool else MISSING


def busy_category() -> str:
    """The category (middle level) holding the most tools."""
    category = (
        Category.objects.filter(level=CategoryLevel.CATEGORY)
        .annotate(n=Count("children__tools"))
        .order_by("-n", "pk")
        .first()
    )
    return category.get_absolute_url() if category else MISSING


def catalog_filtered() -> str:
    layer = Category.objects.layers().first()
    query = {
        "layer": layer.slug if layer else "",
        "open_source": "true",
        "sort": "followers",
    }
    return f"{reverse('tools:list')}?{urlencode(query)}"


def stackup_of(size: int) -> Callable[[], str]:
    def path() -> str:
        stackup = (
            Stackup.objects.annotate(n=Count("entries"))
            .filter(n=size)
            .order_by("-view_count", "pk")
            .first()
        )
        return stackup.get_absolute_url() if stackup else MISSING

    return path


def busy_company() -> str:
    """The most followed company: the most visited company page."""
    company = Company.objects.most_followed().first()
    return company.get_absolute_url() if company else MISSING


def busy_decision() -> str:
    """The most read visible decision (among the most commented too)."""
    decision = Decision.objects.visible().order_by("-view_count", "pk").first()
    return decision.get_absolute_url() if decision else MISSING


def api_tool() -> str:
    """The API's answer for the heaviest tool page's tool."""
    tool = Tool.objects.approved().order_by("-follower_count", "pk").first()
    return reverse("api:tool", kwargs={"slug": tool.slug}) if tool else MISSING


def api_tools_filtered() -> str:
    layer = Category.objects.layers().first()
    query = {
        "layer": layer.slug if layer else "",
        "open_source": "true",
        "sort": "followers",
    }
    return f"{reverse('api:tools')}?{urlencode(query)}"


def busy_migration() -> str:
    """The move most teams made (changes app)."""
    from changes.models import Move, migration_url

    row = (
        Move.objects.values("from_tool__slug", "to_tool__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "from_tool__slug", "to_tool__slug")
        .first()
    )
    return (
        migration_url(row["from_tool__slug"], row["to_tool__slug"]) if row else MISSING
    )


def busy_radar() -> str:
    """The radar of the company with the most tools (changes app)."""
    company = Company.objects.order_by("-tool_count", "pk").first()
    return f"/companies/{company.slug}/radar/" if company else MISSING


def fixed(path: str) -> Callable[[], str]:
    return lambda: path


PAGES = [
    Page("home", fixed("/")),
    Page("catalog (filtered, sorted)", catalog_filtered, key=True),
    Page("category", busy_category, key=True),
    Page("tool", popular_tool, key=True),
    Page("stackup (2 tools)", stackup_of(2), key=True),
    Page("stackup (4 tools)", stackup_of(4)),
    Page("company", busy_company),
    Page("decision", busy_decision),
    Page("migration", busy_migration),
    Page("company radar", busy_radar),
    Page("search", fixed("/search/?q=database"), key=True),
    Page(
        "autocomplete",
        fixed("/search/autocomplete/?q=re"),
        key=True,
        headers=(("HX-Request", "true"),),
    ),
    Page("api tool", api_tool, key=True),
    Page("api tools (filtered, sorted)", api_tools_filtered, key=True),
    Page("tool signed-in", popular_tool, signed_in=True, key=True),
    Page(
        "personal feed signed-in",
        lambda: reverse("feeds:feed"),
        signed_in=True,
        key=True,
    ),
]


def resolvable(path: str) -> bool:
    """Whether this checkout has a view at that address."""
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


# Every address of a kind of page, most visited first, for the spread runs
# (a crawler reads them all evenly, readers Zipf-like from the top) and the
# cold renders. Slugs are read with values_list and the addresses built
# here, so listing 20,000 tools takes no model instances.
def tool_addresses() -> list[str]:
    slugs = (
        Tool.objects.approved()
        .order_by("-follower_count", "pk")
        .values_list("slug", flat=True)
    )
    return [reverse("tools:detail", kwargs={"slug": slug}) for slug in slugs]


def category_addresses() -> list[str]:
    slugs = (
        Category.objects.filter(level=CategoryLevel.CATEGORY)
        .annotate(n=Count("children__tools"))
        .order_by("-n", "pk")
        .values_list("slug", flat=True)
    )
    return [reverse("tools:category", kwargs={"slug": slug}) for slug in slugs]


def stackup_addresses() -> list[str]:
    slugs = Stackup.objects.order_by("-view_count", "pk").values_list("slug", flat=True)
    return [reverse("stackups:detail", kwargs={"slugs": slug}) for slug in slugs]


def company_addresses() -> list[str]:
    slugs = Company.objects.most_followed().values_list("slug", flat=True)
    return [reverse("stacks:company_detail", kwargs={"slug": slug}) for slug in slugs]


def stack_addresses() -> list[str]:
    from stacks.models import Stack

    slugs = Stack.objects.order_by("-item_count", "pk").values_list("slug", flat=True)
    return [reverse("stacks:detail", kwargs={"slug": slug}) for slug in slugs]


def decision_addresses() -> list[str]:
    return [
        decision.get_absolute_url()
        for decision in Decision.objects.visible()
        .order_by("-view_count", "pk")
        .only("pk", "title")
    ]


def member_addresses() -> list[str]:
    from accounts.models import User

    names = (
        User.objects.filter(is_active=True)
        .order_by("-follower_count", "pk")
        .values_list("username", flat=True)
    )
    return [reverse("accounts:profile", kwargs={"username": name}) for name in names]


def search_addresses() -> list[str]:
    """Searches for the evaluation's hand-judged queries, as people type them
    (``search/eval/queries.tsv``): each distinct query is a page of its own."""
    from search.evaluation import read_queries

    queries = dict.fromkeys(judged.query for judged in read_queries())
    return [f"{reverse('search:results')}?{urlencode({'q': q})}" for q in queries]


KINDS: dict[str, Callable[[], list[str]]] = {
    "tools": tool_addresses,
    "categories": category_addresses,
    "stackups": stackup_addresses,
    "companies": company_addresses,
    "stacks": stack_addresses,
    "decisions": decision_addresses,
    "members": member_addresses,
    "searches": search_addresses,
}
