"""What a file says by being there: readers for the files a person reads.

A ``go.mod`` means Go, a ``fly.toml`` means Fly.io, a Terraform file its
providers, a CI file its CI service. These readers return mostly ``tool``
packages (a catalog slug, see ``manifests.inferred``), and the packages of
the formats that list them (``mix.exs``, ``pubspec.yaml``, ``*.csproj``).
SBOMs (CycloneDX, SPDX) are read here too. No Django here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from packageurl import PackageURL

from scanner.limits import parse_xml
from scanner.manifests.containers import image_name
from scanner.manifests.package import (
    CI,
    DEV,
    INFERRED,
    OPTIONAL,
    RUNTIME,
    ManifestError,
    Package,
    Reader,
    inferred,
    line_at,
    line_of,
)
from scanner.manifests.parsing import _json, _yaml


def presence(*slugs: str, kind: str = INFERRED) -> Reader:
    """A reader for files whose mere presence names tools."""

    def read(text: str, path: str) -> Iterator[Package]:
        for slug in slugs:
            yield inferred(slug, path, kind=kind)

    read.__name__ = f"read_{'_'.join(slugs)}".replace("-", "_")
    return read


# Lockfiles are never parsed (see ``limits.LOCKFILES``); their name says
# which package manager the project uses.
LOCKFILE_TOOLS = {
    "package-lock.json": "npm",
    "npm-shrinkwrap.json": "npm",
    "yarn.lock": "yarn",
    "pnpm-lock.yaml": "pnpm",
    "bun.lockb": "bun",
    "bun.lock": "bun",
    "poetry.lock": "poetry",
    "Pipfile.lock": "pipenv",
    "pdm.lock": "pdm",
    "uv.lock": "uv",
    "Cargo.lock": "cargo",
    "Gemfile.lock": "bundler",
    "composer.lock": "composer",
    "gradle.lockfile": "gradle",
    "mix.lock": "elixir",
    "pubspec.lock": "dart",
}


# --- Elixir, Dart, .NET -----------------------------------------------------

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


# --- Hosting and deployment -------------------------------------------------


def read_app_json(text: str, path: str) -> Iterator[Package]:
    """app.json: an Expo app's config, or a Heroku app's description."""
    data = _json(text)
    if "expo" in data:
        yield inferred("expo", path, line_of(text, '"expo"'))
        yield inferred("react-native", path, line_of(text, '"expo"'))
    elif data.keys() & {"buildpacks", "formation", "addons", "scripts", "stack"}:
        # Heroku's app.json describes a deploy button offered to users; the
        # project's own hosting on Heroku shows in its Procfile.
        yield inferred("heroku", path, kind=OPTIONAL)


def read_global_json(text: str, path: str) -> Iterator[Package]:
    """global.json pins the .NET SDK; a translation file of that name does not.

    Read as text: the SDK accepts comments in it, which JSON does not.
    """
    if match := re.search(r'"(sdk|msbuild-sdks)"\s*:', text):
        yield inferred("dotnet", path, line_at(text, match.start()))


KUBE_IMAGE = re.compile(r"^[ \t-]*image:[ \t]*[\"']?(?P<image>[^\s\"'{}#]+)", re.M)


def read_kubernetes(text: str, path: str) -> Iterator[Package]:
    """A Kubernetes manifest or Helm template: Kubernetes and its ``image:`` lines.

    Helm templates are not YAML until rendered, so images are read line by
    line; templated ones (``{{ .Values.image }}``) are skipped.
    """
    head = text[:4096]
    if not (
        re.search(r"^apiVersion:", head, re.M) and re.search(r"^kind:", head, re.M)
    ):
        return
    yield inferred("kubernetes", path)
    for match in KUBE_IMAGE.finditer(text):
        if parsed := image_name(match["image"]):
            yield Package(
                "docker", parsed[0], parsed[1], path, line=line_at(text, match.start())
            )


def read_helm_chart(text: str, path: str) -> Iterator[Package]:
    yield inferred("helm", path)
    yield inferred("kubernetes", path)


# Terraform providers (registry namespace/name) and the tools they manage.
TERRAFORM_PROVIDERS = {
    "aws": "amazon-web-services",
    "google": "google-cloud-platform",
    "google-beta": "google-cloud-platform",
    "azurerm": "microsoft-azure",
    "cloudflare": "cloudflare",
    "digitalocean": "digitalocean",
    "heroku": "heroku",
    "kubernetes": "kubernetes",
    "helm": "helm",
    "github": "github",
    "datadog": "datadog",
    "fastly": "fastly",
    "vercel": "vercel",
    "hcloud": "hetzner-cloud",
    "linode": "linode",
    "vultr": "vultr",
    "scaleway": "scaleway",
    "fly": "fly-io",
    "netlify": "netlify",
    "newrelic": "new-relic",
    "sentry": "sentry",
    "grafana": "grafana",
    "postgresql": "postgresql",
    "mongodbatlas": "mongodb",
    "snowflake": "snowflake",
    "auth0": "auth0",
    "okta": "okta",
    "pagerduty": "pagerduty",
}
TF_PROVIDER = re.compile(
    r"(?:^[ \t]*provider[ \t]+\"(?P<block>[\w-]+)\")"
    r"|(?:source[ \t]*=[ \t]*\"(?:[\w.-]+/)?(?P<source>[\w-]+)\")",
    re.M,
)


def read_terraform(text: str, path: str) -> Iterator[Package]:
    """*.tf: Terraform, and the clouds and services of its providers."""
    yield inferred("terraform", path)
    for match in TF_PROVIDER.finditer(text):
        name = (match["block"] or match["source"] or "").lower()
        name = name.removeprefix("terraform-provider-")
        if slug := TERRAFORM_PROVIDERS.get(name):
            yield inferred(slug, path, line_at(text, match.start()))


# --- Continuous integration --------------------------------------------------


def ci_reader(service: str, *, image_keys: tuple[str, ...] = ("image",)) -> Reader:
    """The CI service itself, and the images its jobs run in (CI-only)."""

    def read(text: str, path: str) -> Iterator[Package]:
        yield inferred(service, path)
        data = _yaml(text)
        if not isinstance(data, dict):
            return
        for image in _images(data, image_keys):
            if parsed := image_name(image):
                yield Package(
                    "docker",
                    parsed[0],
                    parsed[1],
                    path,
                    True,
                    line=line_of(text, image),
                    kind=CI,
                )
        services = data.get("services")
        if service == "travis-ci" and isinstance(services, list):
            for name in services:
                if isinstance(name, str):
                    yield inferred(TRAVIS_SERVICES.get(name, name), path, kind=CI)

    read.__name__ = f"read_{service.replace('-', '_')}"
    return read


TRAVIS_SERVICES = {
    "postgresql": "postgresql",
    "mysql": "mysql",
    "redis-server": "redis",
}


def _images(data: Any, keys: tuple[str, ...]) -> Iterator[str]:
    """Every string (or ``name:``) under an ``image`` key, walked without recursion."""
    pending = [data]
    seen = 0
    while pending and seen < 10_000:
        node = pending.pop()
        seen += 1
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys:
                    if isinstance(value, str):
                        yield value
                    elif isinstance(value, dict) and isinstance(value.get("name"), str):
                        yield value["name"]
                    elif isinstance(value, list):
                        for entry in value:
                            if isinstance(entry, dict) and isinstance(
                                entry.get("image"), str
                            ):
                                yield entry["image"]
                else:
                    pending.append(value)
        elif isinstance(node, list):
            pending.extend(node)


# --- Web servers and ORMs ----------------------------------------------------

PRISMA_PROVIDERS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "microsoft-sql-server",
    "mongodb": "mongodb",
    "cockroachdb": "cockroachdb",
}
PRISMA_DATASOURCE = re.compile(
    r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(?P<provider>\w+)\"", re.S
)


def read_prisma(text: str, path: str) -> Iterator[Package]:
    """schema.prisma: Prisma, and the database its datasource names."""
    yield inferred("prisma", path)
    for match in PRISMA_DATASOURCE.finditer(text):
        if slug := PRISMA_PROVIDERS.get(match["provider"].lower()):
            yield inferred(slug, path, line_at(text, match.start("provider")))


# --- SBOMs --------------------------------------------------------------------

# Package URL types (https://github.com/package-url/purl-spec) and the
# ecosystems the catalog's aliases are spelled in.
PURL_TYPES = {
    "pypi": "pypi",
    "npm": "npm",
    "gem": "rubygems",
    "golang": "gomod",
    "cargo": "cargo",
    "composer": "packagist",
    "maven": "maven",
    "docker": "docker",
    "oci": "docker",
    "nuget": "nuget",
    "hex": "hex",
    "pub": "pub",
    "cocoapods": "cocoapods",  # a subspec is the subpath: ignored
    "swift": "swiftpm",  # namespace "github.com/owner", name the repository
    "github": "actions",
    "githubactions": "actions",
}


def from_purl(purl: str) -> tuple[str, str, str] | None:
    """ "pkg:pypi/flask@3.0" -> ("pypi", "flask", "3.0"); None for other types."""
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    ecosystem = PURL_TYPES.get(parsed.type)
    if ecosystem is None:
        return None
    namespace, name = parsed.namespace or "", parsed.name
    if ecosystem == "maven":
        name = f"{namespace}:{name}" if namespace else name
    elif ecosystem == "npm" and namespace:
        name = f"{namespace}/{name}"  # "@scope/name"
    elif namespace:
        name = f"{namespace}/{name}"
    return ecosystem, name, parsed.version or ""


def read_sbom(text: str, path: str) -> Iterator[Package]:
    """A CycloneDX or SPDX SBOM (JSON): every component named by a Package URL.

    When the SBOM records the dependency graph, the components the project
    depends on directly count as runtime and the rest as indirect
    (``optional``); without a graph, every component counts.
    """
    data = _json(text)
    if data.get("bomFormat") == "CycloneDX":
        entries, direct = _cyclonedx(data)
    elif "spdxVersion" in data:
        entries, direct = _spdx(data)
    else:
        raise ManifestError("neither a CycloneDX nor an SPDX document")
    for ref, purl, scope in entries:
        parsed = from_purl(purl)
        if parsed is None:
            continue
        kind = RUNTIME
        if scope == "optional" or (direct is not None and ref not in direct):
            kind = OPTIONAL
        yield Package(
            parsed[0],
            parsed[1],
            parsed[2],
            path,
            line=line_of(text, purl),
            kind=kind,
        )


def _cyclonedx(data: dict[str, Any]) -> tuple[list[tuple[str, str, str]], Any]:
    entries = []
    for component in data.get("components") or []:
        if isinstance(component, dict) and isinstance(component.get("purl"), str):
            ref = str(component.get("bom-ref", component["purl"]))
            entries.append((ref, component["purl"], str(component.get("scope", ""))))
    root = (data.get("metadata") or {}).get("component") or {}
    root_ref = root.get("bom-ref") if isinstance(root, dict) else None
    direct = None
    for dependency in data.get("dependencies") or []:
        if isinstance(dependency, dict) and dependency.get("ref") == root_ref:
            direct = set(map(str, dependency.get("dependsOn") or []))
    return entries, direct


def _spdx(data: dict[str, Any]) -> tuple[list[tuple[str, str, str]], Any]:
    entries = []
    for package in data.get("packages") or []:
        if not isinstance(package, dict):
            continue
        for ref in package.get("externalRefs") or []:
            if isinstance(ref, dict) and ref.get("referenceType") == "purl":
                entries.append(
                    (str(package.get("SPDXID", "")), str(ref["referenceLocator"]), "")
                )
    roots = set(map(str, data.get("documentDescribes") or []))
    relationships = data.get("relationships") or []
    for relation in relationships:
        if (
            isinstance(relation, dict)
            and relation.get("relationshipType") == "DESCRIBES"
        ):
            roots.add(str(relation.get("relatedSpdxElement")))
    direct = {
        str(relation.get("relatedSpdxElement"))
        for relation in relationships
        if isinstance(relation, dict)
        and relation.get("relationshipType") == "DEPENDS_ON"
        and str(relation.get("spdxElementId")) in roots
    }
    return entries, direct or None


# --- Which file is which ------------------------------------------------------

# (pattern, kind, reader) as in ``manifests.READERS``: a pattern with a
# slash matches the end of the folder too.
SIGNAL_READERS: list[tuple[str, str, Reader]] = [
    ("mix.exs", "mix.exs", read_mix_exs),
    # Erlang's build tool; its deps are Hex packages (or git), read by Mix too.
    ("rebar.config", "rebar.config", read_rebar_config),
    ("pubspec.yaml", "pubspec.yaml", read_pubspec),
    ("*.csproj", "*.csproj", read_msbuild),
    ("*.fsproj", "*.csproj", read_msbuild),
    ("Directory.Packages.props", "*.csproj", read_msbuild),
    ("*.sln", "*.sln", presence("dotnet")),
    ("global.json", "global.json", read_global_json),
    ("tsconfig.json", "tsconfig.json", presence("typescript")),
    ("deno.json", "deno.json", presence("deno")),
    ("deno.jsonc", "deno.json", presence("deno")),
    ("setup.py", "setup.py", presence("python")),
    ("setup.cfg", "setup.py", presence("python")),
    ("Procfile", "Procfile", presence("heroku")),
    ("app.json", "app.json", read_app_json),
    ("fly.toml", "fly.toml", presence("fly-io")),
    ("netlify.toml", "netlify.toml", presence("netlify")),
    ("vercel.json", "vercel.json", presence("vercel")),
    ("render.yaml", "render.yaml", presence("render")),
    ("railway.json", "railway.json", presence("railway")),
    ("railway.toml", "railway.json", presence("railway")),
    ("wrangler.toml", "wrangler.toml", presence("cloudflare-workers")),
    ("firebase.json", "firebase.json", presence("firebase")),
    ("Chart.yaml", "Chart.yaml", read_helm_chart),
    ("kustomization.yaml", "Kubernetes manifest", presence("kubernetes")),
    ("*.tf", "*.tf", read_terraform),
    (".travis.yml", ".travis.yml", ci_reader("travis-ci")),
    (".gitlab-ci.yml", ".gitlab-ci.yml", ci_reader("gitlab-ci")),
    (".circleci/config.yml", "CircleCI config", ci_reader("circleci")),
    ("azure-pipelines.yml", "azure-pipelines.yml", ci_reader("azure-pipelines")),
    (
        "bitbucket-pipelines.yml",
        "bitbucket-pipelines.yml",
        ci_reader("bitbucket-pipelines"),
    ),
    ("Jenkinsfile", "Jenkinsfile", presence("jenkins")),
    ("appveyor.yml", "appveyor.yml", presence("appveyor")),
    (".appveyor.yml", "appveyor.yml", presence("appveyor")),
    (".cirrus.yml", ".cirrus.yml", presence("cirrus-ci")),
    (".semaphore/semaphore.yml", "semaphore.yml", presence("semaphore-ci")),
    ("Vagrantfile", "Vagrantfile", presence("vagrant", kind=DEV)),
    # Any Node version manager reads .nvmrc, and CI reads it through
    # setup-node: it pins Node.js, and only suggests nvm.
    (".nvmrc", ".nvmrc", presence("nvm", kind=OPTIONAL)),
    ("rustfmt.toml", "rustfmt.toml", presence("rustfmt", kind=DEV)),
    (".rustfmt.toml", "rustfmt.toml", presence("rustfmt", kind=DEV)),
    ("clippy.toml", "clippy.toml", presence("clippy", kind=DEV)),
    (".clippy.toml", "clippy.toml", presence("clippy", kind=DEV)),
    (
        ".pre-commit-config.yaml",
        ".pre-commit-config.yaml",
        presence("pre-commit", kind=DEV),
    ),
    (".github/dependabot.yml", "dependabot.yml", presence("dependabot", kind=DEV)),
    ("renovate.json", "renovate.json", presence("renovate", kind=DEV)),
    ("Makefile", "Makefile", presence("make", kind=DEV)),
    ("Caddyfile", "Caddyfile", presence("caddy")),
    ("nginx.conf", "nginx.conf", presence("nginx")),
    ("nginx/*.conf", "nginx.conf", presence("nginx")),
    ("nginx*.conf", "nginx.conf", presence("nginx")),
    ("schema.prisma", "schema.prisma", read_prisma),
    ("*.cdx.json", "SBOM", read_sbom),
    ("bom.json", "SBOM", read_sbom),
    ("*.bom.json", "SBOM", read_sbom),
    ("sbom.json", "SBOM", read_sbom),
    ("*.sbom.json", "SBOM", read_sbom),
    ("*.spdx.json", "SBOM", read_sbom),
]

# Folders whose YAML files are read as Kubernetes manifests (or Helm templates).
KUBERNETES_DIRS = {
    "k8s",
    "kubernetes",
    "kube",
    "deploy",
    "deployment",
    "deployments",
    "manifests",
    "charts",
    "chart",
    "helm",
    "kustomize",
    "overlays",
}


def is_kubernetes_path(parts: tuple[str, ...]) -> bool:
    return bool(KUBERNETES_DIRS.intersection(parts[:-1])) and parts[-1].endswith(
        (".yaml", ".yml")
    )
