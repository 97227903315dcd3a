"""Which file says what: ``SIGNAL_READERS``, ``presence`` readers, lockfile names, Kubernetes folders."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.manifests.package import (
    DEV,
    INFERRED,
    OPTIONAL,
    Package,
    Reader,
    inferred,
)
from scanner.signals.ci import ci_reader
from scanner.signals.deployment import (
    read_app_json,
    read_helm_chart,
    read_terraform,
)
from scanner.signals.platforms import (
    read_global_json,
    read_mix_exs,
    read_msbuild,
    read_pubspec,
    read_rebar_config,
)
from scanner.signals.prisma import read_prisma
from scanner.signals.sbom import read_sbom


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
