"""What stands for a tool beside its name when no moderator uploaded a logo.

First a logo shipped with the catalog: static/logos/ holds one SVG per
catalog tool whose mark comes in a licence-clear set, and LICENSES.toml
there records each file's slug, source and licence (written by
scripts/import_logos.py). It is read once per process, so showing a logo
costs no query.

Otherwise a mark generated from the slug: four quarter tiles of a 2x2 grid,
two alternating shapes turned a quarter further in each tile, in one of the
identity hues. The turn makes every mark symmetric about its centre, so it
reads as designed rather than random, and it stays legible at 20 px.
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

LOGO_DIR = Path(settings.BASE_DIR) / "static" / "logos"
MANIFEST = "LICENSES.toml"
MARK_HUES = 8
SOFT = ' class="tool-mark__soft"'


@dataclass(frozen=True)
class ShippedLogo:
    static_path: str
    # The brand colour is too pale for the white chip, so it sits on a dark one.
    on_dark: bool = False


def read_manifest(logo_dir: Path = LOGO_DIR) -> dict[str, Any]:
    path = logo_dir / MANIFEST
    return tomllib.loads(path.read_text()) if path.exists() else {}


@functools.cache
def shipped_logos() -> dict[str, ShippedLogo]:
    """Every shipped logo by tool slug."""
    return {
        slug: ShippedLogo(
            static_path=f"logos/{entry['file']}",
            on_dark=entry.get("chip") == "dark",
        )
        for slug, entry in read_manifest().get("logo", {}).items()
    }


def check_logos(*, slugs: set[str], logo_dir: Path = LOGO_DIR) -> list[str]:
    """Problems with the shipped logos, one line each.

    Every manifest entry must name an existing file, a known set and that
    set's licence (whose text must be present), and the source of any licence
    the brand's owner gives the mark; every SVG in the folder must have an
    entry; and every entry must belong to a catalog tool.
    """
    manifest = read_manifest(logo_dir)
    sets = manifest.get("set", {})
    problems: list[str] = []
    for name, info in sets.items():
        if not (logo_dir / info.get("license_file", "")).is_file():
            problems.append(f"logo set {name}: licence text missing")
    recorded: set[str] = set()
    for slug, entry in manifest.get("logo", {}).items():
        file = entry.get("file", "")
        recorded.add(file)
        if slug not in slugs:
            problems.append(f"{slug}: logo for a tool not in the catalog")
        if not file.endswith(".svg") or not (logo_dir / file).is_file():
            problems.append(f"{slug}: logo file {file!r} missing")
        licence = sets.get(entry.get("set"), {}).get("license")
        if not licence or entry.get("license") != licence:
            problems.append(f"{slug}: logo has no licence record of its set")
        if entry.get("brand_license") and not entry.get("brand_source"):
            problems.append(f"{slug}: brand licence without its source")
    for path in sorted(logo_dir.glob("*/*.svg")):
        if path.relative_to(logo_dir).as_posix() not in recorded:
            problems.append(
                f"static/logos/{path.relative_to(logo_dir)}: no licence record"
            )
    return problems


# Generated marks, drawn on a 40x40 canvas: a 24x24 grid of four 12x12 tiles
# with an 8-unit margin, so the shapes keep clear of the rounded corners.
_CELL = 12
_ORIGIN = 8

Point = Callable[[float, float], str]


def _quarter_disc(p: Point) -> str:
    return f"M{p(0, 0)} L{p(12, 0)} A12 12 0 0 1 {p(0, 12)} Z"


def _triangle(p: Point) -> str:
    return f"M{p(0, 0)} L{p(12, 0)} L{p(0, 12)} Z"


def _half_disc(p: Point) -> str:
    return f"M{p(0, 12)} A6 6 0 0 1 {p(12, 12)} Z"


def _leaf(p: Point) -> str:
    return f"M{p(0, 12)} A12 12 0 0 1 {p(12, 0)} A12 12 0 0 1 {p(0, 12)} Z"


def _disc(p: Point) -> str:
    return f"M{p(1, 6)} A5 5 0 0 1 {p(11, 6)} A5 5 0 0 1 {p(1, 6)} Z"


def _square(p: Point) -> str:
    return f"M{p(1, 1)} L{p(11, 1)} L{p(11, 11)} L{p(1, 11)} Z"


SHAPES = (_quarter_disc, _triangle, _half_disc, _leaf, _disc, _square)
# Tiles clockwise from the top left; the shape in each turns a further 90°.
_TILES = ((0, 0), (1, 0), (1, 1), (0, 1))


@dataclass(frozen=True)
class MarkShape:
    d: str
    soft: bool


@dataclass(frozen=True)
class Mark:
    hue: int
    shapes: tuple[MarkShape, ...]

    @functools.cached_property
    def paths(self) -> SafeString:
        """The shapes as SVG paths, built once per mark: a page of a big
        stack shows hundreds of logos. Only our own numbers, nothing to
        escape."""
        return mark_safe(  # noqa: S308 - numbers and fixed attributes only
            "".join(
                f'<path d="{shape.d}"{SOFT if shape.soft else ""}/>'
                for shape in self.shapes
            )
        )


def _placer(column: int, row: int, turns: int) -> Point:
    """Cell coordinates (0 to 12) turned ``turns`` quarters about the tile centre."""

    def point(x: float, y: float) -> str:
        for _ in range(turns % 4):
            x, y = _CELL - y, x
        return f"{_ORIGIN + column * _CELL + x:g} {_ORIGIN + row * _CELL + y:g}"

    return point


@functools.lru_cache(maxsize=2048)
def generated_mark(slug: str) -> Mark:
    """The mark for ``slug``: the same slug always gives the same mark."""
    digest = hashlib.blake2s(slug.encode(), digest_size=4).digest()
    first = SHAPES[digest[0] % len(SHAPES)]
    # A different second shape, so the four tiles never merge into one blob.
    second = SHAPES[(digest[0] + 1 + digest[1] % (len(SHAPES) - 1)) % len(SHAPES)]
    turn = digest[2] % 4
    shapes = tuple(
        MarkShape(
            d=(first if i % 2 == 0 else second)(_placer(column, row, turn + i)),
            soft=i % 2 == 1,
        )
        for i, (column, row) in enumerate(_TILES)
    )
    return Mark(hue=digest[3] % MARK_HUES, shapes=shapes)
