"""Readers for Elixir and Erlang, Dart and Flutter, and .NET projects (with NuGet conventions)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import PurePosixPath

from scanner.limits import parse_xml
from scanner.manifests.package import (
    DEV,
    OPTIONAL,
    RUNTIME,
    ManifestError,
    Package,
    inferred,
    line_at,
    line_of,
)
from scanner.manifests.parsing import _yaml

MIX_DEP = re.compile(r"\{\s*:(?P<name>[a-z][a-z0-9_]*)\s*,(?P<rest>[^}\n]*)")


def read_mix_exs(text: str, path: str) -> Iterator[Package]:
    """mix.exs: Elixir, and the ``{:name, ...}`` tuples of its deps."""
    if "defmodule" not in text:
        raise ManifestError("no “defmodule”; is this a mix.exs file?")
    yield inferred("elixir", path)
    # Mix builds every Elixir project; its dependencies come from Hex.
    yield inferred("mix", path, kind=DEV)
    start = text.find("defp deps")
    if start < 0:
        return
    yield inferred("hex", path, line_at(text, start), DEV)
    for match in MIX_DEP.finditer(text, start):
        rest = match["rest"]
        version = re.search(r"\"([^\"]*)\"", rest)
        dev = (
            bool(re.search(r"only:\s*(\[[^\]]*\]|:\w+)", rest)) and ":prod" not in rest
        )
        yield Package(
            "hex",
            match["name"],
            version[1] if version else "",
            path,
            dev,
            line=line_at(text, match.start()),
            kind=OPTIONAL if "optional: true" in rest else DEV if dev else RUNTIME,
        )


def read_pubspec(text: str, path: str) -> Iterator[Package]:
    """pubspec.yaml: Dart, Flutter when it depends on the Flutter SDK, pub packages."""
    data = _yaml(text)
    if not isinstance(data, dict):
        raise ManifestError("expected a mapping with “name” and “dependencies”")
    yield inferred("dart", path)
    for section, dev in (("dependencies", False), ("dev_dependencies", True)):
        for name, spec in (data.get(section) or {}).items():
            if isinstance(spec, dict) and "sdk" in spec:
                if spec["sdk"] == "flutter" and not dev:
                    yield inferred("flutter", path, line_of(text, f"{name}:"))
                continue
            yield Package(
                "pub",
                str(name),
                spec if isinstance(spec, str) else "",
                path,
                dev,
                line=line_of(text, f"{name}:"),
            )


# NuGet packages that stand for a database or service beyond themselves: an
# Entity Framework provider, an Aspire hosting or client integration.
NUGET_CONVENTIONS = [
    ("Microsoft.EntityFrameworkCore.SqlServer", "microsoft-sql-server"),
    ("Microsoft.EntityFrameworkCore.Sqlite", "sqlite"),
    ("Microsoft.Data.Sqlite", "sqlite"),
    ("Npgsql", "postgresql"),
    ("Aspire.Npgsql", "postgresql"),
    ("Aspire.Hosting.PostgreSQL", "postgresql"),
    ("Pomelo.EntityFrameworkCore.MySql", "mysql"),
    ("StackExchange.Redis", "redis"),
    ("Aspire.StackExchange.Redis", "redis"),
    ("Aspire.Hosting.Redis", "redis"),
    ("RabbitMQ.Client", "rabbitmq"),
    ("Aspire.RabbitMQ", "rabbitmq"),
    ("Aspire.Hosting.RabbitMQ", "rabbitmq"),
    ("Grpc.AspNetCore", "grpc"),
    ("Grpc.Net.Client", "grpc"),
    ("Microsoft.EntityFrameworkCore", "entity-framework-core"),
]


def nuget_conventions(package: Package) -> Iterator[Package]:
    for prefix, slug in NUGET_CONVENTIONS:
        if package.name == prefix or package.name.startswith(f"{prefix}."):
            yield inferred(slug, package.file, package.line, package.kind)
            return


def read_rebar_config(text: str, path: str) -> Iterator[Package]:
    """rebar.config: an Erlang project built with rebar3."""
    yield inferred("erlang", path)
    yield inferred("rebar3", path, kind=DEV)


DESKTOP_UI = {"UseWPF": "wpf", "UseWindowsForms": "windows-forms"}


def read_msbuild(text: str, path: str) -> Iterator[Package]:
    """*.csproj, *.fsproj, Directory.Packages.props: .NET and its NuGet packages."""
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise ManifestError("DOCTYPE and entity declarations are not accepted")
    try:
        root = parse_xml(text)
    except ET.ParseError as error:
        raise ManifestError(f"not valid XML ({error})") from error
    suffix = PurePosixPath(path).suffix
    yield inferred("dotnet", path)
    if suffix == ".csproj":
        yield inferred("c-sharp", path)
    elif suffix == ".fsproj":
        yield inferred("fsharp", path)
    sdk = root.get("Sdk", "")
    if sdk == "Microsoft.NET.Sdk.Web":
        yield inferred("aspnet-core", path, line_of(text, sdk))
    test = bool(re.search(r"[.](Unit)?Tests?$", PurePosixPath(path).stem))
    restored = False  # package references are restored from NuGet
    for node in root.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag in {"PackageReference", "PackageVersion"}:
            name = node.get("Include") or node.get("Update")
            if name and not restored:
                restored = True
                yield inferred("nuget", path, line_of(text, f'"{name}"'), DEV)
            if name:
                package = Package(
                    "nuget",
                    name,
                    node.get("Version", ""),
                    path,
                    test,
                    line=line_of(text, f'"{name}"'),
                )
                yield package
                yield from nuget_conventions(package)
        elif tag == "FrameworkReference" and node.get("Include", "").startswith(
            "Microsoft.AspNetCore"
        ):
            yield inferred("aspnet-core", path)
        elif tag in DESKTOP_UI and (node.text or "").strip().lower() == "true":
            # Windows desktop UI ships with the SDK: a property turns it on.
            yield inferred(DESKTOP_UI[tag], path, line_of(text, f"<{tag}>"))


def read_global_json(text: str, path: str) -> Iterator[Package]:
    """global.json pins the .NET SDK; a translation file of that name does not.

    Read as text: the SDK accepts comments in it, which JSON does not.
    """
    if match := re.search(r'"(sdk|msbuild-sdks)"\s*:', text):
        yield inferred("dotnet", path, line_at(text, match.start()))
