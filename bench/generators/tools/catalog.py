"""The catalog generator: curated tools first, then the rest in order, then the counters."""

from __future__ import annotations

from django.db.models import Count, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce

from bench.generators import BenchContext, Generator
from bench.generators.tools.activity import (
    _write_follows,
    _write_procon_votes,
    _write_procons,
    _write_votes,
)
from bench.generators.tools.synthetic import _write_synthetic_tools
from tools.catalog import load_catalog, read_catalog
from tools.models import Category, ProCon, ProConVote, Tool, ToolFollow, ToolVote


def generate_catalog(context: BenchContext) -> None:
    """The whole catalog and everything members did to it."""
    load_catalog(read_catalog())
    context.writer.counts["categories"] = Category.objects.count()
    context.writer.counts["curated tools"] = Tool.objects.count()
    _write_synthetic_tools(context)
    _write_follows(context)
    _write_votes(context)
    procons = _write_procons(context)
    _write_procon_votes(context, procons)
    recount(Tool, "follower_count", ToolFollow, "tool")
    recount(Tool, "vote_count", ToolVote, "tool")
    recount(ProCon, "vote_count", ProConVote, "procon")


def recount(
    model: type[Model], counter: str, rows: type[Model], foreign_key: str
) -> None:
    """Set a denormalised counter from the rows it counts, in one UPDATE."""
    counted = (
        rows._default_manager.filter(**{foreign_key: OuterRef("pk")})
        .order_by()
        .values(foreign_key)
        .annotate(n=Count("pk"))
        .values("n")
    )
    model._default_manager.update(**{counter: Coalesce(Subquery(counted), 0)})


GENERATOR = Generator(
    app_label="tools",
    name="catalog",
    models=(
        "tools.Category",
        "tools.Tool",
        "tools.Alias",
        "tools.SearchKey",
        "tools.Synonym",
        "tools.Alternative",
        "tools.ToolRedirect",
        "tools.ToolFollow",
        "tools.ToolVote",
        "tools.ProCon",
        "tools.ProConVote",
    ),
    run=generate_catalog,
)
