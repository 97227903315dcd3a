"""The reader for ``schema.prisma``: Prisma and the database its datasource names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.manifests.package import (
    Package,
    inferred,
    line_at,
)

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
