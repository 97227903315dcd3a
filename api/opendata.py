"""The open data dump and a member's own export.

``write_open_data`` writes the public data (the catalog, public stacks
with their history, stackups as tool pairings, visible decisions) as JSON
Lines and CSV, a Frictionless ``datapackage.json`` describing them, and the
licence, then zips the lot into ``MEDIA_ROOT/open-data/``. Only what the
public pages show goes in: members appear by user name only.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from decisions.models import Comment, Decision
from stacks.models import Stack, StackHistory, StackItem, ToolPairing
from tools.models import Alias, Category, ProCon, Tool

LICENCE_NAME = "CC-BY-SA-4.0"
LICENCE_TITLE = "Creative Commons Attribution-ShareAlike 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
FORMAT_VERSION = "1"
DUMP_FOLDER = "open-data"
BATCH = 2000


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: list[tuple[str, str]]  # (name, Frictionless type)
    rows: Any  # a callable returning an iterator of dicts


def _tools() -> Iterator[dict[str, Any]]:
    tools = Tool.objects.approved().with_category_path().order_by("pk")
    for tool in tools.iterator(chunk_size=BATCH):
        yield {
            "slug": tool.slug,
            "name": tool.name,
            "tagline": tool.tagline,
            "function": tool.function.slug,
            "category": tool.function.parent.slug if tool.function.parent else "",
            "website": tool.website,
            "repository_url": tool.repository_url,
            "license": tool.license,
            "is_open_source": tool.is_open_source,
            "is_deprecated": tool.is_deprecated,
            "successor": tool.successor.slug if tool.successor else "",
            "stack_count": tool.stack_count,
            "follower_count": tool.follower_count,
            "vote_count": tool.vote_count,
        }


def _categories() -> Iterator[dict[str, Any]]:
    for node in Category.objects.select_related("parent").order_by(
        "level", "position", "name"
    ):
        yield {
            "slug": node.slug,
            "name": node.name,
            "level": node.level,
            "parent": node.parent.slug if node.parent else "",
            "description": node.description,
        }


def _aliases() -> Iterator[dict[str, Any]]:
    aliases = Alias.objects.filter(tool__status="approved").select_related("tool")
    for alias in aliases.order_by("pk").iterator(chunk_size=BATCH):
        yield {
            "tool": alias.tool.slug,
            "ecosystem": alias.ecosystem,
            "name": alias.name,
        }


def _public_stacks() -> Any:
    return Stack.objects.exclude(owner_user__is_active=False)


def _stacks() -> Iterator[dict[str, Any]]:
    for stack in (
        _public_stacks().with_owner().order_by("pk").iterator(chunk_size=BATCH)
    ):
        yield {
            "slug": stack.slug,
            "name": stack.name,
            "description": stack.description,
            "company": stack.company.slug if stack.company_id else "",
            "member": stack.owner_user.username if stack.owner_user_id else "",
            "item_count": stack.item_count,
            "updated_at": stack.updated_at.isoformat(),
        }


def _stack_items() -> Iterator[dict[str, Any]]:
    items = StackItem.objects.filter(stack__in=_public_stacks()).select_related(
        "stack", "tool"
    )
    for item in items.order_by("pk").iterator(chunk_size=BATCH):
        yield {
            "stack": item.stack.slug,
            "tool": item.tool.slug,
            "note": item.note,
            "provenance": item.source,
            "detected_file": item.detected_file,
            "added_at": item.added_at.isoformat(),
        }


def _stack_history() -> Iterator[dict[str, Any]]:
    events = StackHistory.objects.filter(stack__in=_public_stacks()).select_related(
        "stack"
    )
    for event in events.order_by("pk").iterator(chunk_size=BATCH):
        yield {
            "stack": event.stack.slug,
            "tool_name": event.tool_name,
            "action": event.action,
            "source": event.source,
            "ring_from": event.ring_from,
            "ring_to": event.ring_to,
            "reason": event.reason,
            "created_at": event.created_at.isoformat(),
        }


def _pairings() -> Iterator[dict[str, Any]]:
    # Each pair is stored both ways; the dump keeps one row per pair.
    pairs = ToolPairing.objects.filter(tool__lt=F("other")).select_related(
        "tool", "other"
    )
    for pair in pairs.order_by("pk").iterator(chunk_size=BATCH):
        yield {
            "tool": pair.tool.slug,
            "other": pair.other.slug,
            "stack_count": pair.stack_count,
        }


def _decisions() -> Iterator[dict[str, Any]]:
    decisions = Decision.objects.visible().with_cards().order_by("pk")
    for decision in decisions.iterator(chunk_size=BATCH):
        tags = list(decision.tool_tags.all())
        yield {
            "id": decision.pk,
            "kind": decision.kind,
            "title": decision.title,
            "body": decision.body,
            "author": decision.author.username,
            "chosen": " ".join(t.tool.slug for t in tags if t.role == "chosen"),
            "considered": " ".join(t.tool.slug for t in tags if t.role != "chosen"),
            "upvote_count": decision.upvote_count,
            "created_at": decision.created_at.isoformat(),
        }


TABLES = [
    Table(
        "categories",
        "The catalog tree: layers, categories, functions.",
        [
            ("slug", "string"),
            ("name", "string"),
            ("level", "integer"),
            ("parent", "string"),
            ("description", "string"),
        ],
        _categories,
    ),
    Table(
        "tools",
        "Approved tools of the catalog.",
        [
            ("slug", "string"),
            ("name", "string"),
            ("tagline", "string"),
            ("function", "string"),
            ("category", "string"),
            ("website", "string"),
            ("repository_url", "string"),
            ("license", "string"),
            ("is_open_source", "boolean"),
            ("is_deprecated", "boolean"),
            ("successor", "string"),
            ("stack_count", "integer"),
            ("follower_count", "integer"),
            ("vote_count", "integer"),
        ],
        _tools,
    ),
    Table(
        "aliases",
        "Package names that mean a tool, per ecosystem.",
        [("tool", "string"), ("ecosystem", "string"), ("name", "string")],
        _aliases,
    ),
    Table(
        "stacks",
        "Public stacks of companies and members.",
        [
            ("slug", "string"),
            ("name", "string"),
            ("description", "string"),
            ("company", "string"),
            ("member", "string"),
            ("item_count", "integer"),
            ("updated_at", "datetime"),
        ],
        _stacks,
    ),
    Table(
        "stack_items",
        "The tools in each stack, with provenance.",
        [
            ("stack", "string"),
            ("tool", "string"),
            ("note", "string"),
            ("provenance", "string"),
            ("detected_file", "string"),
            ("added_at", "datetime"),
        ],
        _stack_items,
    ),
    Table(
        "stack_history",
        "Every addition and removal in each stack, and each move of a company "
        "stack's entry between radar rings (action ring, with both rings).",
        [
            ("stack", "string"),
            ("tool_name", "string"),
            ("action", "string"),
            ("source", "string"),
            ("ring_from", "string"),
            ("ring_to", "string"),
            ("reason", "string"),
            ("created_at", "datetime"),
        ],
        _stack_history,
    ),
    Table(
        "tool_pairings",
        "How many stacks use two tools together (stackups).",
        [("tool", "string"), ("other", "string"), ("stack_count", "integer")],
        _pairings,
    ),
    Table(
        "decisions",
        "Visible decisions and requests for advice.",
        [
            ("id", "integer"),
            ("kind", "string"),
            ("title", "string"),
            ("body", "string"),
            ("author", "string"),
            ("chosen", "string"),
            ("considered", "string"),
            ("upvote_count", "integer"),
            ("created_at", "datetime"),
        ],
        _decisions,
    ),
]

LICENCE_TEXT = f"""The stackshare open data is licensed under the {LICENCE_TITLE}
licence ({LICENCE_NAME}): {LICENCE_URL}

You may share and adapt it for any purpose, provided you credit
stackshare, link to the licence, say if you changed it, and share what you
build from it under the same licence.
"""


def dump_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / DUMP_FOLDER


def write_open_data(*, now: datetime | None = None) -> Path:
    """Write a new dump; returns the zip's path."""
    now = now or timezone.now()
    version = now.strftime("%Y%m%d-%H%M%S")
    folder = dump_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"stackshare-open-data-{version}.zip"
    partial = target.with_suffix(".partial")
    resources = []
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            names = [name for name, _ in table.fields]
            jsonl = io.StringIO()
            table_csv = io.StringIO()
            writer = csv.DictWriter(table_csv, fieldnames=names)
            writer.writeheader()
            count = 0
            for row in table.rows():
                jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
                writer.writerow(row)
                count += 1
            archive.writestr(f"{table.name}.jsonl", jsonl.getvalue())
            archive.writestr(f"{table.name}.csv", table_csv.getvalue())
            resources.append(
                {
                    "name": table.name,
                    "path": f"{table.name}.csv",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "description": f"{table.description} Also as {table.name}.jsonl.",
                    "schema": {
                        "fields": [{"name": n, "type": t} for n, t in table.fields]
                    },
                    "rows": count,
                }
            )
        package = {
            "name": "stackshare-open-data",
            "title": "stackshare open data",
            "version": f"{FORMAT_VERSION}.{version}",
            "created": now.isoformat(timespec="seconds"),
            "licenses": [
                {"name": LICENCE_NAME, "path": LICENCE_URL, "title": LICENCE_TITLE}
            ],
            "resources": resources,
        }
        archive.writestr("datapackage.json", json.dumps(package, indent=2))
        archive.writestr("LICENSE.txt", LICENCE_TEXT)
    partial.replace(target)
    return target


@dataclass(frozen=True)
class Dump:
    name: str
    url: str
    size: int
    created: datetime


def published_dumps(limit: int = 5) -> list[Dump]:
    """The newest dumps first, with their size and date."""
    folder = dump_folder()
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("stackshare-open-data-*.zip"), reverse=True)[:limit]
    return [
        Dump(
            name=path.name,
            url=f"{settings.MEDIA_URL}{DUMP_FOLDER}/{path.name}",
            size=path.stat().st_size,
            created=datetime.fromtimestamp(path.stat().st_mtime, tz=UTC),
        )
        for path in files
    ]


def member_posts(member: User) -> dict[str, Any]:
    """Everything a member posted, for their own download."""

    def rows(items: Iterable[Any], fields: list[str]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            row = {}
            for name in fields:
                value = getattr(item, name)
                row[name] = value.isoformat() if isinstance(value, datetime) else value
            out.append(row)
        return out

    return {
        "format": "stackshare-member-export",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "member": {
            "username": member.username,
            "display_name": member.display_name,
            "bio": member.bio,
            "date_joined": member.date_joined.isoformat(),
        },
        "decisions": rows(
            Decision.objects.filter(author=member, deleted_at__isnull=True).order_by(
                "pk"
            ),
            ["id", "kind", "title", "body", "created_at"],
        ),
        "comments": rows(
            Comment.objects.filter(author=member, deleted_at__isnull=True).order_by(
                "pk"
            ),
            ["id", "decision_id", "parent_id", "body", "created_at"],
        ),
        "pros_and_cons": rows(
            ProCon.objects.filter(author=member).select_related("tool").order_by("pk"),
            ["tool_id", "kind", "text", "created_at"],
        ),
        "stacks": [
            {
                "slug": stack.slug,
                "name": stack.name,
                "description": stack.description,
                "tools": [
                    {"tool": i.tool.slug, "note": i.note, "provenance": i.source}
                    for i in stack.items.all()
                ],
            }
            for stack in Stack.objects.filter(owner_user=member).prefetch_related(
                "items__tool"
            )
        ],
        "submitted_tools": rows(
            Tool.objects.filter(submitted_by=member).order_by("pk"),
            ["slug", "name", "status", "created_at"],
        ),
    }
