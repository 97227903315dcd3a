"""Package names: the ecosystems, the aliases that mean a tool, and the unknown packages scans found."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tools.models.tools import Tool


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
