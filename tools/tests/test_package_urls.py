"""Aliases are accepted as Package URLs as well as in the ecosystem:name form."""

from __future__ import annotations

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
