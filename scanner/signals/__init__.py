"""What a file says by being there: readers for the files a person reads.

A ``go.mod`` means Go, a ``fly.toml`` means Fly.io, a Terraform file its
providers, a CI file its CI service. These readers return mostly ``tool``
packages (a catalog slug, see ``manifests.inferred``), and the packages of
the formats that list them (``mix.exs``, ``pubspec.yaml``, ``*.csproj``).
SBOMs (CycloneDX, SPDX) are read here too. No Django here. Its modules hold
the readers of one family of files each; ``kinds`` says which file is which.
"""

from __future__ import annotations

from scanner.signals.ci import TRAVIS_SERVICES, ci_reader
from scanner.signals.deployment import (
    KUBE_IMAGE,
    TERRAFORM_PROVIDERS,
    TF_PROVIDER,
    read_app_json,
    read_helm_chart,
    read_kubernetes,
    read_terraform,
)
from scanner.signals.kinds import (
    KUBERNETES_DIRS,
    LOCKFILE_TOOLS,
    SIGNAL_READERS,
    is_kubernetes_path,
    presence,
)
from scanner.signals.platforms import (
    DESKTOP_UI,
    MIX_DEP,
    NUGET_CONVENTIONS,
    nuget_conventions,
    read_global_json,
    read_mix_exs,
    read_msbuild,
    read_pubspec,
    read_rebar_config,
)
from scanner.signals.prisma import PRISMA_DATASOURCE, PRISMA_PROVIDERS, read_prisma
from scanner.signals.sbom import PURL_TYPES, from_purl, read_sbom

__all__ = [
    "DESKTOP_UI",
    "KUBERNETES_DIRS",
    "KUBE_IMAGE",
    "LOCKFILE_TOOLS",
    "MIX_DEP",
    "NUGET_CONVENTIONS",
    "PRISMA_DATASOURCE",
    "PRISMA_PROVIDERS",
    "PURL_TYPES",
    "SIGNAL_READERS",
    "TERRAFORM_PROVIDERS",
    "TF_PROVIDER",
    "TRAVIS_SERVICES",
    "ci_reader",
    "from_purl",
    "is_kubernetes_path",
    "nuget_conventions",
    "presence",
    "read_app_json",
    "read_global_json",
    "read_helm_chart",
    "read_kubernetes",
    "read_mix_exs",
    "read_msbuild",
    "read_prisma",
    "read_pubspec",
    "read_rebar_config",
    "read_sbom",
    "read_terraform",
]
