"""The catalog at scale: the real tree and curated tools, synthetic tools, activity.

Writes, in order: the category tree and curated tools (through the catalog
loader, exactly as ``load_catalog`` does), synthetic tools to reach
``SIZES["tools"]``, their tags, aliases and curated alternatives, then tool
follows, tool votes, pros and cons and votes on them, all skewed Zipf-like
so that a few tools get most of the attention. Counters on Tool and ProCon
are recounted from the rows at the end, so they are exact.
"""

from __future__ import annotations

from bench.generators.tools.catalog import GENERATOR, generate_catalog, recount
from bench.generators.tools.words import CONS, PROS

__all__ = ["CONS", "GENERATOR", "PROS", "generate_catalog", "recount"]
