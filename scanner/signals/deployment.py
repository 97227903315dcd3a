"""Readers for hosting and deployment: app.json, Kubernetes manifests, Helm charts, Terraform."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.manifests.containers import image_name
from scanner.manifests.package import (
    OPTIONAL,
    Package,
    inferred,
    line_at,
    line_of,
)
from scanner.manifests.parsing import _json


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
