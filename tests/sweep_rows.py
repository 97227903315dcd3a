"""The rows the URL sweeps run on, and the argument values that address them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
)

from tests.urlconf import Route, walk


@dataclass
class DataSet:
    """A few rows of everything, and the values that address them."""

    ints: list[int] = field(default_factory=list)
    slugs: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    real: dict[str, str] = field(default_factory=dict)

    def values(self) -> list[str]:
        return [*map(str, self.ints), *self.slugs, *self.strings]


# --- The URLconf ---------------------------------------------------------------


def real_value(route: Route, param: str, data: DataSet) -> str:
    """A value of ``param`` that addresses a real row, where one exists."""
    fmt = route.template[0]
    if fmt.startswith("admin/"):
        return admin_value(fmt, param, data)
    by_prefix = {
        "decisions/comments/": "comment",
        "decisions/": "decision",
        "pros-cons/": "procon",
        "tools/": "tool",
        "feeds/tools/": "tool",
        "categories/": "category",
        "feeds/categories/": "category",
        "companies/": "company",
        "feeds/companies/": "company",
        "stacks/": "stack",
    }
    kind = next(
        (
            kind
            for prefix, kind in sorted(by_prefix.items(), key=lambda kv: -len(kv[0]))
            if fmt.startswith(prefix)
        ),
        "",
    )
    if param == "slug" and kind == "decision":
        return data.real["decision_slug"]
    if param in {"pk", "slug"} and kind:
        return data.real[kind]
    if param == "username":
        return data.real["company_member" if fmt.startswith("companies/") else "member"]
    named = {
        "key": data.real["feed_key"] if fmt.startswith("feeds/") else "not-a-key",
        "tool_slug": data.real["tool"],
        "slugs": data.real["stackup"],
        "tab": "comparison",
        "uidb36": "1",
    }
    if param in named:
        return named[param]
    return fallback_value(route, param, data)


def admin_value(fmt: str, param: str, data: DataSet) -> str:
    if param == "app_label":
        return "tools"
    if param == "url":
        return "no-such-page/"
    if param == "content_type_id":
        return data.real["content_type"]
    parts = fmt.split("/")
    if param in {"object_id", "id"} and len(parts) > 3:
        try:
            model = apps.get_model(parts[1], parts[2])
        except LookupError:
            return "1"
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return str(pk if pk is not None else 1)
    return data.real["tool"]


def fallback_value(route: Route, param: str, data: DataSet) -> str:
    """For patterns added after this test: any value of the right shape."""
    converter = route.converters.get(param)
    if isinstance(converter, IntConverter):
        return str(data.ints[0])
    if isinstance(converter, SlugConverter | StringConverter | PathConverter):
        return data.slugs[0]
    return "1"


def routes() -> list[Route]:
    return walk()
