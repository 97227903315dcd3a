"""SBOMs (CycloneDX, SPDX) and the Package URLs that name their components."""

from __future__ import annotations

import json

import pytest

import scanner
from scanner.signals import from_purl


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:pypi/flask@3.0.0", ("pypi", "flask", "3.0.0")),
        ("pkg:npm/%40angular/core@17.0.0", ("npm", "@angular/core", "17.0.0")),
        (
            "pkg:maven/org.postgresql/postgresql@42.7",
            ("maven", "org.postgresql:postgresql", "42.7"),
        ),
        (
            "pkg:golang/github.com/gin-gonic/gin@v1.10.0",
            ("gomod", "github.com/gin-gonic/gin", "v1.10.0"),
        ),
        ("pkg:gem/rails", ("rubygems", "rails", "")),
        ("pkg:github/actions/checkout@v4", ("actions", "actions/checkout", "v4")),
        ("pkg:deb/debian/curl@7.88", None),
        ("not a purl", None),
    ],
)
def test_package_urls(purl, expected):
    assert from_purl(purl) == expected


def test_cyclonedx_sbom_direct_dependencies_count_others_are_indirect(tmp_path):
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"component": {"bom-ref": "app", "name": "app"}},
        "components": [
            {"bom-ref": "a", "name": "flask", "purl": "pkg:pypi/flask@3.0.0"},
            {"bom-ref": "b", "name": "werkzeug", "purl": "pkg:pypi/werkzeug@3.0.1"},
            {"bom-ref": "c", "name": "libc", "purl": "pkg:deb/debian/libc6@2.36"},
        ],
        "dependencies": [
            {"ref": "app", "dependsOn": ["a"]},
            {"ref": "a", "dependsOn": ["b"]},
        ],
    }
    result = scanner.read_manifest("bom.json", json.dumps(bom).encode())
    assert [(p.ecosystem, p.name, p.version, p.kind) for p in result.packages] == [
        ("pypi", "flask", "3.0.0", "runtime"),
        ("pypi", "werkzeug", "3.0.1", "optional"),
    ]


def test_spdx_sbom_is_read_and_recognised_without_its_name():
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "documentDescribes": ["SPDXRef-app"],
        "packages": [
            {
                "SPDXID": "SPDXRef-react",
                "externalRefs": [
                    {
                        "referenceType": "purl",
                        "referenceLocator": "pkg:npm/react@19.0.0",
                    }
                ],
            }
        ],
        "relationships": [],
    }
    text = json.dumps(spdx)
    assert scanner.guess_kind(text) == "SBOM"
    result = scanner.read_manifest("upload.json", text.encode())
    assert [(p.ecosystem, p.name, p.kind) for p in result.packages] == [
        ("npm", "react", "runtime")
    ]


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:cocoapods/Alamofire@5.8.1", ("cocoapods", "Alamofire", "5.8.1")),
        (
            "pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib",
            ("cocoapods", "GoogleUtilities", "7.5.2"),
        ),
        (
            "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
            ("swiftpm", "github.com/Alamofire/Alamofire", "5.4.3"),
        ),
    ],
)
def test_apple_package_urls(purl, expected):
    assert from_purl(purl) == expected
