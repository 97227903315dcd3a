#!/usr/bin/env python3
"""Copy the logos of catalog tools from licence-clear icon sets into static/logos/.

    python3 scripts/import_logos.py              # npm pack the pinned versions
    python3 scripts/import_logos.py --from DIR   # use tarballs already in DIR

Run by a person when the catalog grows or a set is bumped (edit VERSIONS),
never by ``make``. It downloads the three npm packages into a temporary
folder, matches every tool in tools/data/tools_*.toml to one icon, copies
only those icons and rewrites static/logos/LICENSES.toml, which records per
file where it came from and under which licence; the site reads the same
file to find a tool's logo. Standard library only.

Sets, best first for a small square mark:
  svg-logos     @iconify-json/logos (Gil Barbara's "SVG logos"), CC0-1.0, full colour
  devicon       devicon, MIT, full colour ("original", else "plain")
  simple-icons  simple-icons, CC0-1.0, one path, drawn in the brand's colour
simple-icons also records, per brand, the licence its owner gives the mark
where that is not CC0. That applies to the mark whichever set carries it, so
it is noted beside every file of that brand (brand_license, brand_source),
and a brand whose mark is non-commercial, no-derivatives or under custom
terms gets no shipped logo at all (the site draws its generated mark).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# An entry of an icon set's JSON index or of the catalog's TOML.
Entry = dict[str, Any]

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "tools" / "data"
OUT = ROOT / "static" / "logos"

VERSIONS = {
    "@iconify-json/logos": "1.2.20",
    "devicon": "2.17.0",
    "simple-icons": "16.37.0",
}

# Catalog slug -> "set:icon" where names do not line up, or "" where the
# only icons found belong to something else of the same name.
OVERRIDES: dict[str, str] = {
    "actix-web": "simple-icons:actix",
    "anthropic-api": "svg-logos:anthropic-icon",
    "aspnet-core": "devicon:dotnetcore-original",
    "backblaze-b2": "simple-icons:backblaze",
    "cockroachdb": "simple-icons:cockroachlabs",
    "drizzle-orm": "svg-logos:drizzle-icon",
    "fathom-analytics": "simple-icons:fathom",
    "google-gemini-api": "svg-logos:google-gemini-icon",
    "hetzner-cloud": "simple-icons:hetzner",
    "hugging-face-transformers": "svg-logos:hugging-face-icon",
    "maplibre-gl-js": "simple-icons:maplibre",
    "openai-api": "svg-logos:openai-icon",
    "ory-kratos": "svg-logos:ory-icon",
    "ovhcloud": "simple-icons:ovh",
    "react-testing-library": "svg-logos:testing-library",
    "traefik": "svg-logos:traefik-proxy-icon",
    "zoho-crm": "simple-icons:zoho",
    "solidjs": "devicon:solidjs-original",  # the set's gradient file draws blank
    # Same name, other brand: Make.com, the Puma shoe brand.
    "make": "",
    "puma": "",
    # Only a faint wordmark, or not certainly this project's mark.
    "django-rest-framework": "",
    "grpc": "",
    "slim": "",
}

SETS = {
    "svg-logos": {
        "package": "@iconify-json/logos",
        "license": "CC0-1.0",
        "license_file": "licenses/CC0-1.0.txt",
        "homepage": "https://github.com/gilbarbara/logos",
    },
    "devicon": {
        "package": "devicon",
        "license": "MIT",
        "license_file": "licenses/devicon-MIT.txt",
        "homepage": "https://devicon.dev/",
    },
    "simple-icons": {
        "package": "simple-icons",
        "license": "CC0-1.0",
        "license_file": "licenses/CC0-1.0.txt",
        "homepage": "https://simpleicons.org/",
    },
}

# Bigger files are detailed illustrations that cost more than a 40 px mark is
# worth; the next set is tried instead.
MAX_BYTES = 40_000

# A simple-icons colour this close to white disappears on the white chip,
# so the file records that it wants the dark one.
MIN_CONTRAST_ON_WHITE = 2.0


@dataclass
class Logo:
    slug: str
    set: str
    icon: str
    title: str
    svg: str
    license: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"{self.set}/{self.icon}.svg"


def norm(text: str) -> str:
    """Compare names loosely, but keep C, C++ and C# apart."""
    text = text.lower().replace("+", "plus").replace("#", "sharp")
    return re.sub(r"[^a-z0-9]", "", text)


def hyphenate(text: str) -> str:
    text = text.lower().replace("+", "plus").replace("#", "sharp")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def unpack(package: str, version: str, source: Path | None, into: Path) -> Path:
    """The package folder of ``package@version``, packed by npm unless given."""
    tarball_name = f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"
    tarball = source / tarball_name if source else into / tarball_name
    if not source:
        subprocess.run(
            ["npm", "pack", f"{package}@{version}", "--silent"],
            cwd=into,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    target = into / tarball_name.removesuffix(".tgz")
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


class SvgLogos:
    """Iconify's JSON of Gil Barbara's set: icon bodies without the <svg> around them."""

    name = "svg-logos"

    def __init__(self, root: Path) -> None:
        data = json.loads((root / "icons.json").read_text())
        self.default = (data.get("width", 256), data.get("height", 256))
        self.icons = data["icons"]
        self.aliases = {k: v["parent"] for k, v in data.get("aliases", {}).items()}

    def find(self, keys: list[str]) -> tuple[str, str] | None:
        for key in keys:
            for icon in (f"{key}-icon", key):
                icon = self.aliases.get(icon, icon)
                if icon in self.icons and self._fits(icon):
                    return icon, icon
        return None

    def _fits(self, icon: str) -> bool:
        """Square enough to read in a square chip (not a wordmark), and small."""
        width, height = self._size(icon)
        return (
            0.5 <= width / height <= 1.6 and len(self.icons[icon]["body"]) < MAX_BYTES
        )

    def _size(self, icon: str) -> tuple[int, int]:
        entry = self.icons[icon]
        return entry.get("width", self.default[0]), entry.get("height", self.default[1])

    def svg(self, icon: str) -> str:
        width, height = self._size(icon)
        body = self.icons[icon]["body"]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
            f"{body}</svg>\n"
        )


class Devicon:
    name = "devicon"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_key: dict[str, Entry] = {}
        for entry in json.loads((root / "devicon.json").read_text()):
            for key in [entry["name"], *entry.get("altnames", [])]:
                self.by_key.setdefault(norm(key), entry)

    def find(self, keys: list[str]) -> tuple[str, str] | None:
        for key in keys:
            if entry := self.by_key.get(norm(key)):
                versions = entry["versions"]["svg"]
                for version in ("original", "plain"):
                    if version in versions and self._small(entry["name"], version):
                        return f"{entry['name']}-{version}", entry["name"]
        return None

    def _small(self, name: str, version: str) -> bool:
        path = self.root / "icons" / name / f"{name}-{version}.svg"
        return path.stat().st_size < MAX_BYTES

    def svg(self, icon: str) -> str:
        name = icon.rsplit("-", 1)[0]
        text = (self.root / "icons" / name / f"{icon}.svg").read_text()
        return text.strip() + "\n"


class SimpleIcons:
    name = "simple-icons"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_key: dict[str, Entry] = {}
        for entry in json.loads((root / "data" / "simple-icons.json").read_text()):
            keys = [
                entry["title"],
                entry["slug"],
                *entry.get("aliases", {}).get("aka", []),
            ]
            for key in keys:
                self.by_key.setdefault(norm(key), entry)

    def brand(self, keys: list[str]) -> Entry | None:
        """The simple-icons entry for the brand these keys name, if any."""
        return next(filter(None, (self.by_key.get(norm(key)) for key in keys)), None)

    def find(self, keys: list[str]) -> tuple[str, str] | None:
        """Only icons under the set's own CC0: the others' licence texts would
        have to ship beside them, and the other sets usually have the mark."""
        entry = self.brand(keys)
        if entry and self.licence(entry) == "CC0-1.0":
            return entry["slug"], entry["title"]
        return None

    @staticmethod
    def licence(entry: Entry) -> str:
        return str(entry.get("license", {}).get("type", "CC0-1.0"))

    def entry(self, icon: str) -> Entry:
        return next(e for e in self.by_key.values() if e["slug"] == icon)

    def svg(self, icon: str) -> str:
        text = (self.root / "icons" / f"{icon}.svg").read_text()
        path = re.search(r"<path[^>]*/>", text)
        view_box = re.search(r'viewBox="([^"]+)"', text)
        if not (path and view_box):
            raise SystemExit(f"simple-icons {icon}: not one path in a viewBox")
        colour = self.entry(icon)["hex"]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box[1]}"'
            f' fill="#{colour}">{path[0]}</svg>\n'
        )


def restricted(licence: str) -> bool:
    """Terms a public site cannot simply follow: non-commercial, no derivatives, custom."""
    return licence == "custom" or "-NC" in licence or "-ND" in licence


def contrast_on_white(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def catalog_tools() -> list[Entry]:
    tools: list[Entry] = []
    for path in sorted(CATALOG.glob("tools_*.toml")):
        tools.extend(tomllib.loads(path.read_text()).get("tool", []))
    return tools


def match(
    tools: list[Entry],
    sets: list[SvgLogos | Devicon | SimpleIcons],
    simple: SimpleIcons,
) -> tuple[list[Logo], dict[str, str]]:
    """One logo per tool where a set has one; also the tools withheld for their brand's terms."""
    by_name = {s.name: s for s in sets}
    logos: list[Logo] = []
    withheld: dict[str, str] = {}
    for tool in tools:
        slug, name = tool["slug"], tool["name"]
        override = OVERRIDES.get(slug)
        if override == "":
            continue
        keys = [slug, hyphenate(name), norm(name), norm(slug)]
        if slug.startswith("amazon-"):
            keys.insert(0, "aws-" + slug.removeprefix("amazon-"))
        keys = list(dict.fromkeys(keys))
        if override:
            set_name, _, icon = override.partition(":")
            chosen = [(by_name[set_name], (icon, icon))]
            brand = (
                simple.entry(icon) if set_name == simple.name else simple.brand(keys)
            )
        else:
            chosen = [(s, found) for s in sets if (found := s.find(keys))][:1]
            brand = simple.brand(keys)
        if not chosen:
            continue
        brand_licence = simple.licence(brand) if brand else "CC0-1.0"
        if restricted(brand_licence):
            withheld[slug] = brand_licence
            continue
        icon_set, (icon, title) = chosen[0]
        logo = Logo(
            slug,
            icon_set.name,
            icon,
            title,
            icon_set.svg(icon),
            SETS[icon_set.name]["license"],
        )
        if isinstance(icon_set, SimpleIcons):
            entry = icon_set.entry(icon)
            logo.title = entry["title"]
            logo.license = simple.licence(entry)
            logo.extra["hex"] = entry["hex"]
            if contrast_on_white(entry["hex"]) < MIN_CONTRAST_ON_WHITE:
                logo.extra["chip"] = "dark"
        # The owner's brand guidelines, for a person to read before a change
        # in how marks are shown (simple-icons links them where it knows them).
        if brand and brand.get("guidelines"):
            logo.extra["guidelines"] = brand["guidelines"]
        if brand and brand_licence != "CC0-1.0":
            logo.extra["brand_license"] = brand_licence
            logo.extra["brand_source"] = brand["source"]
        logos.append(logo)
    return logos, withheld


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write(logos: list[Logo], licences: dict[str, str]) -> None:
    for folder in SETS:
        shutil.rmtree(OUT / folder, ignore_errors=True)
    (OUT / "licenses").mkdir(parents=True, exist_ok=True)
    for filename, text in licences.items():
        (OUT / "licenses" / filename).write_text(text)
    for logo in logos:
        target = OUT / logo.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(logo.svg)

    lines = [
        "# Logos shipped with the catalog: one file per tool, keyed by the tool's slug.",
        "# Written by scripts/import_logos.py (do not edit by hand; add an override",
        "# there instead). The site reads this file to find a tool's logo.",
        "# Each [logo.<slug>] names its file (relative to this folder), the icon set",
        "# it was copied from and that file's licence; [set.<name>] gives the npm",
        "# package, its version and the full licence text beside this file.",
        "# brand_license: the licence the mark's owner gives it (per simple-icons),",
        "# with brand_source where they publish it; it applies whichever set",
        "# carried the file. Brands with non-commercial, no-derivatives or custom",
        "# terms are left out.",
        "# The marks themselves remain trademarks of their owners.",
        "",
    ]
    for name, info in SETS.items():
        lines.append(f"[set.{name}]")
        lines.append(f"package = {toml_string(info['package'])}")
        lines.append(f"version = {toml_string(VERSIONS[info['package']])}")
        for key in ("license", "license_file", "homepage"):
            lines.append(f"{key} = {toml_string(info[key])}")
        lines.append("")
    for logo in sorted(logos, key=lambda logo: logo.slug):
        lines.append(f"[logo.{logo.slug}]")
        lines.append(f"file = {toml_string(logo.file)}")
        lines.append(f"set = {toml_string(logo.set)}")
        lines.append(f"icon = {toml_string(logo.icon)}")
        lines.append(f"title = {toml_string(logo.title)}")
        lines.append(f"license = {toml_string(logo.license)}")
        lines.extend(f"{k} = {toml_string(v)}" for k, v in logo.extra.items())
        lines.append("")
    (OUT / "LICENSES.toml").write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder of .tgz files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roots = {
            package: unpack(package, version, args.source, Path(tmp))
            for package, version in VERSIONS.items()
        }
        simple = SimpleIcons(roots["simple-icons"])
        sets: list[SvgLogos | Devicon | SimpleIcons] = [
            SvgLogos(roots["@iconify-json/logos"]),
            Devicon(roots["devicon"]),
            simple,
        ]
        tools = catalog_tools()
        logos, withheld = match(tools, sets, simple)
        licences = {
            "CC0-1.0.txt": (roots["simple-icons"] / "LICENSE.md").read_text(),
            "devicon-MIT.txt": (roots["devicon"] / "LICENSE").read_text(),
        }
        write(logos, licences)
    counts = {name: sum(logo.set == name for logo in logos) for name in SETS}
    print(f"{len(logos)} of {len(tools)} tools have a logo: {counts}")
    for logo in logos:
        print(f"  {logo.slug:32} {logo.set:13} {logo.icon:32} {logo.title}")
    if withheld:
        print(f"withheld for their brand's terms: {withheld}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
