"""The site's ranking (tools.search), the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tools.keys import edit_distance, key_variants, search_key, word_keys
from tools.models import SearchKey, SearchKeyKind, Tool
from tools.search import closest_categories, search_tools, suggest_tools
from tools.tests.factories import make_alias, make_synonym, make_tool


@pytest.fixture
def catalog(db):
    flask = make_tool(name="Flask", description="A small Python web framework.")
    function = flask.function
    make_tool(
        name="Django",
        tagline="Python web framework with batteries",
        function=function,
        stack_count=50,
    )
    drf = make_tool(name="Django REST framework", function=function, stack_count=5)
    make_synonym(tool=drf, term="drf")
    make_alias(tool=drf, package="pypi:djangorestframework")
    postgres = make_tool(
        name="PostgreSQL",
        tagline="Relational database",
        description="Transactions, SQL and extensions.",
        stack_count=40,
    )
    make_synonym(tool=postgres, term="psql")
    make_synonym(tool=postgres, term="postgres")
    make_tool(name="React", tagline="Components for user interfaces", stack_count=60)
    make_tool(name="React Native", tagline="Mobile apps from React", stack_count=10)
    make_tool(name="Next.js", slug="nextjs", tagline="React framework", stack_count=30)
    angular = make_tool(name="Angular", tagline="A framework for single-page apps")
    make_alias(tool=angular, package="npm:@angular/core")
    make_tool(name="AngularJS", slug="angularjs", tagline="The first Angular")
    make_tool(name="Go", slug="golang", tagline="A compiled language", stack_count=3)
    make_tool(
        name="Google BigQuery", slug="bigquery", tagline="Warehouse", stack_count=20
    )
    k8s = make_tool(name="Kubernetes", tagline="Runs containers", stack_count=25)
    make_synonym(tool=k8s, term="k8s")
    make_tool(name="Amazon S3", slug="amazon-s3", tagline="Object storage")
    make_tool(name="Hidden Gem", status="pending")


def names(query: str) -> list[str]:
    return [tool.name for tool in search_tools(query)[:10]]


def test_keys_drop_case_spaces_dots_and_accents():
    assert search_key("Next.js") == search_key("next js") == "nextjs"
    assert search_key("Elastic Search") == "elasticsearch"
    assert search_key("Pandás") == "pandas"
    assert search_key("C++") != search_key("C#") != search_key("C")
    assert key_variants("reactjs") == ["react"]
    assert key_variants("next") == ["nextjs"]
    assert key_variants("js") == []
    assert word_keys("Next.js") == ["next"]
    assert word_keys("Google BigQuery") == ["google", "bigquery"]


def test_edit_distance_counts_swaps_as_one():
    assert edit_distance("djnago", "django", 2) == 1
    assert edit_distance("flsk", "flask", 1) == 1
    assert edit_distance("postgress", "postgres", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2  # given up past the limit


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("django", "Django"),
        ("Django", "Django"),
        ("go", "Go"),  # the exact name before Google BigQuery
        ("golang", "Go"),  # the slug
        ("postg", "PostgreSQL"),  # a prefix
        ("psql", "PostgreSQL"),  # a synonym
        ("drf", "Django REST framework"),
        ("djangorestframework", "Django REST framework"),  # a package name
        ("@angular/core", "Angular"),
        ("k8s", "Kubernetes"),
        ("nextjs", "Next.js"),
        ("next", "Next.js"),  # without its "js"
        ("reactjs", "React"),  # with a "js" it does not have
        ("angularjs", "AngularJS"),  # its own "js" first
        ("angular", "Angular"),
        ("bigquery", "Google BigQuery"),  # a word of the name
        ("s3", "Amazon S3"),
        ("react native", "React Native"),  # spaces do not matter
        ("djnago", "Django"),  # typos
        ("postgress", "PostgreSQL"),
        ("kubernets", "Kubernetes"),
        ("flsk", "Flask"),
        ("reakt", "React"),
    ],
)
def test_the_tool_a_query_names_comes_first(catalog, query, expected):
    """Exact names, slugs, synonyms and package names first, then prefixes,
    words and typos, on SQLite and PostgreSQL alike."""
    assert names(query)[0] == expected


@pytest.mark.parametrize(
    "query",
    [
        "pod:Kingfisher",
        "cocoapods: kingfisher",
        "pkg:cocoapods/Kingfisher@7.10.0",
        "swiftpm:github.com/onevcat/Kingfisher",
        "pkg:swift/github.com/onevcat/Kingfisher@7.10.0",
        "onevcat/kingfisher",
    ],
)
def test_apple_registries_and_package_urls_name_their_package(catalog, query):
    """A CocoaPods or Swift package, with its registry or as an SBOM's
    Package URL, finds the tool it is an alias of."""
    images = make_tool(name="Image Loading Kit", slug="image-loading-kit")
    make_alias(tool=images, package="cocoapods:Kingfisher")
    make_alias(tool=images, package="swiftpm:github.com/onevcat/Kingfisher")
    assert names(query)[:1] == ["Image Loading Kit"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pkg:pypi/djangorestframework@3.15.2", "Django REST framework"),
        ("pkg:npm/%40angular/core@17.3.0", "Angular"),
    ],
)
def test_package_urls_find_their_package(catalog, query, expected):
    assert names(query)[:1] == [expected]


def test_popularity_breaks_ties(catalog):
    """Among prefixes as close as each other, the most used tool leads."""
    assert names("react")[:2] == ["React", "React Native"]
    assert names("re")[0] == "React"


def test_tagline_and_description_words_are_found_after_names(catalog):
    assert names("batteries") == ["Django"]
    assert "Flask" in names("python web")
    assert names("framework")[0] == "Django REST framework"  # a word of its name


def test_one_or_two_letters_match_names_only(catalog):
    """ "tf" or "re" are inside too many words to be searched in text."""
    assert names("tf") == []


def test_pending_tools_are_not_found(catalog):
    assert names("Hidden Gem") == []


def test_empty_and_huge_queries_are_safe(catalog):
    assert names("   ") == []
    assert names("...") == []
    assert isinstance(names("x" * 5000), list)


def test_ranking_costs_a_fixed_number_of_queries(
    catalog, django_assert_max_num_queries
):
    """Keys (exact and prefixes), text, typo candidates and the tools of
    those within reach, then the page's tools: five at most."""
    with django_assert_max_num_queries(5):
        search_tools("postgress")[:10]


def test_autocomplete_prefers_prefixes(catalog, django_assert_num_queries):
    """Autocomplete ranks the same way without description matches: the
    keys and the tools shown (two letters are too short for typos)."""
    with django_assert_num_queries(2):
        found = list(
            Tool.objects.approved()
            .autocomplete("re")
            .values_list("name", flat=True)[:8]
        )
    assert found[0] == "React"


def test_search_keys_follow_synonyms_and_aliases(catalog):
    react = Tool.objects.get(name="React")
    assert "React" not in names("fb ui")
    make_synonym(tool=react, term="FB UI")
    assert names("fb ui") == ["React"]
    assert SearchKey.objects.filter(tool=react, key="fbui").exists()


def test_did_you_mean_offers_the_nearest_names(catalog):
    assert [tool.name for tool in suggest_tools("kubernetis cluster")] == ["Kubernetes"]
    assert [tool.name for tool in suggest_tools("kubernetis")] == ["Kubernetes"]
    assert suggest_tools("postgrex")[0].name == "PostgreSQL"


def test_a_typo_finds_a_little_used_tool_among_many_popular_names(db):
    """Every name near the query is measured, however many more used tools
    have names of the same first letters and length: the typo pass once
    measured only the thousand of the most used ones."""
    popular = make_tool(name="Sxxxx", stack_count=500)
    letters = "abcdefghijklmnopqrstuvwxyz"
    SearchKey.objects.bulk_create(
        SearchKey(tool=popular, key=f"s{a}{b}{c}q", kind=SearchKeyKind.WORD)
        for a in letters[:11]
        for b in letters[:11]
        for c in letters[:11]
    )
    make_tool(name="Slick", stack_count=0)
    assert "Slick" in names("slack")
    assert suggest_tools("slicc")[0].name == "Slick"


def test_closest_categories_share_a_word_or_hold_the_suggestions(catalog):
    k8s = Tool.objects.get(name="Kubernetes")
    found = closest_categories("zzz", near=[k8s])
    assert found == [k8s.function]
