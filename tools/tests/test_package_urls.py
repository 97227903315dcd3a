"""Aliases are accepted as Package URLs as well as in the ecosystem:name form."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.models import parse_alias


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pypi:flask", ("pypi", "flask")),
        ("pkg:pypi/flask", ("pypi", "flask")),
        ("pkg:pypi/flask@3.0.0", ("pypi", "flask")),
        ("pkg:npm/%40nestjs/core", ("npm", "@nestjs/core")),
        (
            "pkg:maven/org.hibernate.orm/hibernate-core",
            ("maven", "org.hibernate.orm:hibernate-core"),
        ),
        ("pkg:composer/laravel/framework", ("packagist", "laravel/framework")),
        ("pkg:golang/github.com/gin-gonic/gin", ("gomod", "github.com/gin-gonic/gin")),
        ("pkg:gem/rails", ("rubygems", "rails")),
        ("pkg:nuget/Serilog", ("nuget", "Serilog")),
        ("pkg:cocoapods/Alamofire@5.8.1", ("cocoapods", "Alamofire")),
        (
            "pkg:swift/github.com/Alamofire/Alamofire",
            ("swiftpm", "github.com/Alamofire/Alamofire"),
        ),
        (
            "swiftpm:github.com/onevcat/Kingfisher",
            ("swiftpm", "github.com/onevcat/Kingfisher"),
        ),
        ("pkg:deb/debian/curl", None),
        ("cpan:Moose", None),
        ("pypi:", None),
    ],
)
def test_aliases_as_package_urls(text, expected):
    assert parse_alias(text) == expected


def test_the_catalog_checker_accepts_package_urls(tmp_path):
    import importlib.util

    from django.conf import settings

    path = Path(settings.BASE_DIR) / "tools" / "data" / "check_catalog.py"
    spec = importlib.util.spec_from_file_location("check_catalog", path)
    assert spec is not None
    assert spec.loader is not None
    check_catalog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_catalog)
    function = sorted(check_catalog.function_slugs())[0]
    data = tmp_path / "tools_x.toml"
    data.write_text(
        "[[tool]]\n"
        'name = "Rails"\nslug = "rails-x"\n'
        f'function = "{function}"\n'
        'website = "https://rubyonrails.org/"\n'
        'aliases = ["pkg:gem/rails-x", "pkg:nope/x"]\n'
    )
    problems = check_catalog.check([data])
    assert any("bad alias 'pkg:nope/x'" in p for p in problems)
    assert not any("pkg:gem/rails-x" in p for p in problems)
