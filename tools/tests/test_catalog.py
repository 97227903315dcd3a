from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tools.catalog import (
    DATA_DIR,
    Catalog,
    check_catalog,
    check_synonyms,
    read_catalog,
)
from tools.models import Alias, Category, CategoryLevel, SearchKey, Synonym, Tool
from tools.search import search_tools
from tools.tests.factories import make_synonym

SEED_SLUGS = [
    "flask", "rust", "django", "python", "javascript", "php", "ruby", "java", "golang", "html5",
    "c-sharp", "expressjs", "scala", "nodejs", "spring-boot", "laravel", "bootstrap", "materialize",
    "foundation", "material-ui", "liquibase", "flyway", "postgresql", "mysql", "redis", "docker",
    "kubernetes", "react", "typescript",
]  # fmt: skip


def test_catalog_data_is_consistent_and_large_enough():
    """The curated data covers at least 300 tools in 40+ functions and all four layers."""
    catalog = read_catalog()
    assert len(catalog.tools) >= 300
    assert len({tool["function"] for tool in catalog.tools}) >= 40
    assert {layer["slug"] for layer in catalog.tree} == {
        "application-and-data",
        "utilities",
        "devops",
        "business-tools",
    }
    assert set(SEED_SLUGS) <= {tool["slug"] for tool in catalog.tools}


@pytest.mark.django_db
def test_load_catalog_twice_updates_without_duplicates():
    out = StringIO()
    call_command("load_catalog", stdout=out)
    counts = (Category.objects.count(), Tool.objects.count(), Alias.objects.count())
    flask = Tool.objects.get(slug="flask")
    assert (
        flask.function.path
        == "Application & Data > Languages & Frameworks > Microframeworks"
    )
    assert flask.is_approved
    Tool.objects.filter(slug="flask").update(tagline="edited by hand")
    call_command("load_catalog", stdout=StringIO())
    assert (
        Category.objects.count(),
        Tool.objects.count(),
        Alias.objects.count(),
    ) == counts
    assert Tool.objects.get(slug="flask").tagline != "edited by hand"
    assert Category.objects.filter(level=CategoryLevel.LAYER).count() == 4


@pytest.mark.django_db
def test_load_catalog_dry_run_saves_nothing():
    out = StringIO()
    call_command("load_catalog", "--dry-run", stdout=out)
    assert Tool.objects.count() == 0
    assert "Dry run" in out.getvalue()


def test_every_tool_has_a_unique_alias_set():
    owners: dict[str, str] = {}
    for tool in read_catalog().tools:
        for alias in tool.get("aliases", []):
            assert owners.setdefault(alias, tool["slug"]) == tool["slug"]
    assert (
        len(
            list(
                itertools.chain.from_iterable(
                    t.get("aliases", []) for t in read_catalog().tools
                )
            )
        )
        >= 300
    )


def test_synonyms_file_names_real_tools_without_collisions():
    """Every synonym belongs to a catalog tool and finds no other tool."""
    catalog = read_catalog()
    slugs = {tool["slug"] for tool in catalog.tools}
    assert catalog.synonyms
    assert set(catalog.synonyms) <= slugs
    assert check_synonyms(catalog) == []


@pytest.mark.parametrize(
    ("synonyms", "problem"),
    [
        ({"flask": ["django"]}, "'django' is the name of django"),
        ({"flask": ["Dj-ango"]}, "'Dj-ango' is the name of django"),
        ({"flask": ["fl"], "django": ["FL"]}, "'FL' is also a synonym of flask"),
        ({"nosuchtool": ["x"]}, "no tool has this slug"),
        ({"flask": ["..."]}, "bad term"),
    ],
)
def test_colliding_synonyms_are_refused(synonyms, problem):
    catalog = read_catalog()
    catalog.synonyms = synonyms
    assert any(problem in line for line in check_synonyms(catalog))


@pytest.mark.django_db
def test_load_catalog_loads_synonyms_and_indexes_every_tool():
    """Synonyms from the file and from moderators both find their tools."""
    call_command("load_catalog", stdout=StringIO())
    assert Synonym.objects.get(term="k8s").tool.slug == "kubernetes"
    make_synonym(tool=Tool.objects.get(slug="flask"), term="pallets flask")
    call_command("load_catalog", stdout=StringIO())
    assert Synonym.objects.filter(term="pallets flask").exists()
    assert set(SearchKey.objects.values_list("tool", flat=True)) == set(
        Tool.objects.values_list("pk", flat=True)
    )
    assert [tool.slug for tool in search_tools("k8s")[:1]] == ["kubernetes"]
    assert [tool.slug for tool in search_tools("pallets flask")[:1]] == ["flask"]


def test_the_catalog_check_runs_without_any_environment():
    """`manage.py load_catalog --check` on a bare checkout: no key, no database."""
    bare = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "load_catalog", "--check"],
        cwd=Path(__file__).resolve().parents[2],
        env=bare,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Catalog data is consistent" in result.stdout
    # Its help, which says so, is readable the same way.
    result = subprocess.run(
        [sys.executable, "manage.py", "load_catalog", "--help"],
        cwd=Path(__file__).resolve().parents[2],
        env=bare,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "needs no environment" in result.stdout


# The rules of the data files: each refused on its own, the accepted forms accepted.

TREE = tomllib.loads((DATA_DIR / "categories.toml").read_text())["layer"]
FUNCTION, OTHER_FUNCTION = sorted(Catalog(tree=TREE).function_slugs)[:2]
RAILS = {
    "name": "Rails X",
    "slug": "rails-x",
    "function": FUNCTION,
    "website": "https://rubyonrails.org/",
    "repository": "https://github.com/rails/rails",
    "license": "MIT",
    "open_source": True,
    "tagline": "A web framework with conventions for everything.",
    "description": "It serves pages. It talks to databases.",
    "aliases": ["rubygems:rails-x"],
}
SINATRA = RAILS | {
    "name": "Sinatra X",
    "slug": "sinatra-x",
    "aliases": ["pypi:sinatra-x"],
}


def _check(**changes: object) -> list[str]:
    """The problems of a two-tool catalog whose first tool has these changes
    (None takes the field away)."""
    rails = {
        field: value for field, value in (RAILS | changes).items() if value is not None
    }
    return check_catalog(Catalog(tree=TREE, tools=[rails, SINATRA]))


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"license": None}, "rails-x: missing ['license']"),
        ({"homepage": "https://x.org"}, "rails-x: unknown fields ['homepage']"),
        ({"slug": "Rails_X"}, "Rails_X: bad slug"),
        ({"slug": "sinatra-x"}, "sinatra-x: slug listed twice"),
        ({"function": "no-such"}, "rails-x: unknown function 'no-such'"),
        ({"tags": ["no-such"]}, "rails-x: unknown function 'no-such'"),
        ({"aliases": ["cpan:Moose"]}, "rails-x: bad alias 'cpan:Moose'"),
        ({"aliases": ["pkg:nope/x"]}, "rails-x: bad alias 'pkg:nope/x'"),
        (
            {"aliases": ["pypi:Sinatra_X"]},  # PyPI compares names normalised
            "sinatra-x: alias 'pypi:sinatra-x' also belongs to rails-x",
        ),
        (
            {"alternatives": ["no-such"]},
            "rails-x: unknown alternative or successor 'no-such'",
        ),
        (
            {"successor": "no-such"},
            "rails-x: unknown alternative or successor 'no-such'",
        ),
        ({"tagline": "x" * 91}, "rails-x: tagline over 90 characters"),
        (
            {"description": "It serves pages."},
            "rails-x: description has 1 sentences, want 2 to 4",
        ),
        (
            {"description": "One. Two. Three. Four. Five."},
            "rails-x: description has 5 sentences, want 2 to 4",
        ),
        (
            {"repository": "https://example.com/rails"},
            "rails-x: repository should be https://github.com/owner/name "
            "(or GitLab, Codeberg, or a project forge listed in OWN_FORGES)",
        ),
        (
            {"website": "http://rubyonrails.org/"},
            "rails-x: website should start with https://",
        ),
    ],
)
def test_each_rule_of_the_catalog_is_checked(changes, problem):
    assert _check(**changes) == [problem]


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"aliases": ["pkg:gem/rails-x@7.1", "pkg:npm/%40rails/x"]},
        {"repository": "https://git.savannah.gnu.org/cgit/rails.git"},
        {"repository": None, "github_stars": 10, "github_forks": 2},
        {"tags": [OTHER_FUNCTION], "alternatives": ["sinatra-x"]},
        {"successor": "sinatra-x"},
        {"description": "It serves pages! Is it fast? Yes. It talks to databases."},
    ],
)
def test_what_the_catalog_rules_accept(changes):
    assert _check(**changes) == []
