"""What stands for a tool: uploaded logo, shipped logo, or a generated mark."""

from __future__ import annotations

import re
import shutil
import tomllib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import reverse

from tools import catalog as catalog_module
from tools.catalog import read_catalog
from tools.logos import LOGO_DIR, check_logos, generated_mark, shipped_logos
from tools.tests.factories import make_tool

MANIFEST = tomllib.loads((LOGO_DIR / "LICENSES.toml").read_text())


def _logo_dir_copy(tmp_path):
    """A writable copy of static/logos/ to break in one place."""
    target = tmp_path / "logos"
    shutil.copytree(LOGO_DIR, target)
    return target


# The shipped files and their licences -----------------------------------------


def test_catalog_logos_all_exist_with_a_licence_record():
    slugs = {tool["slug"] for tool in read_catalog().tools}
    assert check_logos(slugs=slugs) == []
    # Most of the catalog has a recognisable mark, from all three sets.
    assert len(MANIFEST["logo"]) >= 300
    assert {entry["set"] for entry in MANIFEST["logo"].values()} == {
        "svg-logos",
        "devicon",
        "simple-icons",
    }
    # A brand whose owner forbids commercial use or sets its own terms ships
    # nothing; other owners' licences are noted beside the file.
    assert "vuejs" not in MANIFEST["logo"]
    assert MANIFEST["logo"]["rust"]["brand_license"] == "CC-BY-SA-4.0"
    for entry in MANIFEST["logo"].values():
        brand = entry.get("brand_license", "")
        assert brand != "custom", entry
        assert "-NC" not in brand, entry
    for name, info in MANIFEST["set"].items():
        text = (LOGO_DIR / info["license_file"]).read_text()
        assert ("CC0" in text) if info["license"] == "CC0-1.0" else ("MIT" in text), (
            name
        )


def test_check_names_each_broken_logo(tmp_path):
    logo_dir = _logo_dir_copy(tmp_path)
    (logo_dir / "svg-logos" / "postgresql.svg").unlink()
    (logo_dir / "devicon" / "stray.svg").write_text("<svg/>")
    manifest = (logo_dir / "LICENSES.toml").read_text()
    manifest = manifest.replace(
        '[logo.rust]\nfile = "svg-logos/rust.svg"\nset = "svg-logos"\nicon = "rust"\ntitle = "rust"\nlicense = "CC0-1.0"',
        '[logo.rust]\nfile = "svg-logos/rust.svg"\nset = "svg-logos"\nicon = "rust"\ntitle = "rust"\nlicense = "MIT"',
    )
    manifest = manifest.replace(
        'brand_source = "https://php.net', 'source = "https://php.net'
    )
    (logo_dir / "LICENSES.toml").write_text(manifest)
    (logo_dir / "licenses" / "devicon-MIT.txt").unlink()
    slugs = {tool["slug"] for tool in read_catalog().tools} - {"react"}

    problems = check_logos(slugs=slugs, logo_dir=logo_dir)

    assert problems == [
        "logo set devicon: licence text missing",
        "php: brand licence without its source",
        "postgresql: logo file 'svg-logos/postgresql.svg' missing",
        "react: logo for a tool not in the catalog",
        "rust: logo has no licence record of its set",
        "static/logos/devicon/stray.svg: no licence record",
    ]


def test_load_catalog_check_refuses_a_logo_without_licence_record(
    tmp_path, monkeypatch
):
    logo_dir = _logo_dir_copy(tmp_path)
    (logo_dir / "simple-icons" / "unrecorded.svg").write_text("<svg/>")
    monkeypatch.setattr(catalog_module, "LOGO_DIR", logo_dir)

    with pytest.raises(CommandError, match=r"unrecorded\.svg: no licence record"):
        call_command("load_catalog", "--check", stdout=StringIO())


# Rendering ----------------------------------------------------------------------


@pytest.fixture
def postgresql(db):
    return make_tool(name="PostgreSQL", slug="postgresql")


def test_shipped_logo_shows_on_the_tool_page_and_in_the_list(client, postgresql):
    src = static("logos/svg-logos/postgresql.svg")

    page = client.get(postgresql.get_absolute_url()).content.decode()
    listing = client.get(reverse("tools:list")).content.decode()

    for html in (page, listing):
        assert f'src="{src}" alt=""' in html
        assert "tool-mark" not in html


def test_uploaded_logo_wins_over_the_shipped_one(client, postgresql):
    postgresql.logo = "logos/our-own.png"
    postgresql.save()

    html = client.get(postgresql.get_absolute_url()).content.decode()

    assert 'src="/media/logos/our-own.png"' in html
    assert "svg-logos/postgresql.svg" not in html


def test_pale_single_colour_logo_sits_on_a_dark_chip(client, db):
    assert MANIFEST["logo"]["ruff"]["chip"] == "dark"
    ruff = make_tool(name="Ruff", slug="ruff")

    html = client.get(ruff.get_absolute_url()).content.decode()

    assert re.search(
        r'class="tool-logo tool-logo--\w+ tool-logo--on-dark" src="[^"]*ruff', html
    )


def test_tool_without_a_logo_shows_its_generated_mark(client, db):
    tool = make_tool(name="Quietly Obscure", slug="quietly-obscure")
    assert tool.shipped_logo is None

    page = client.get(tool.get_absolute_url()).content.decode()
    listing = client.get(reverse("tools:list")).content.decode()

    mark = generated_mark("quietly-obscure")
    for html in (page, listing):
        svg = re.search(
            r'<svg class="tool-logo[^"]*tool-mark tool-mark--c(\d)"[^>]*>(.*?)</svg>',
            html,
        )
        assert svg, "no generated mark"
        assert int(svg[1]) == mark.hue
        assert re.findall(r'<path d="([^"]+)"', svg[2]) == [s.d for s in mark.shapes]
        assert 'aria-hidden="true"' in svg[0]
        # No two letters on a tint any more.
        assert "monogram" not in html


def test_logo_size_outside_the_known_ones_falls_back_to_medium(db):
    # The generated mark is built without escaping: only known sizes reach it.
    tool = make_tool(slug="quietly-sized")
    markup = Template("{% load logos %}{% tool_logo tool size %}").render(
        Context({"tool": tool, "size": '"><script>alert(1)</script>'})
    )
    assert "<script>" not in markup
    assert 'class="tool-logo tool-logo--md tool-mark' in markup


def test_generated_mark_is_deterministic_varied_and_inside_its_tile():
    slugs = [f"tool-{n}" for n in range(200)]
    first = [generated_mark(slug) for slug in slugs]
    generated_mark.cache_clear()

    assert [generated_mark(slug) for slug in slugs] == first
    # 120 shape combinations in 8 hues: few of 200 tools share a mark.
    assert len(set(first)) >= 170
    assert {mark.hue for mark in first} == set(range(8))
    for mark in first:
        assert len(mark.shapes) == 4
        # Two shapes alternate, the second drawn in the lighter tone.
        assert [shape.soft for shape in mark.shapes] == [False, True, False, True]
        # Every point (not the arcs' radii and flags) keeps off the rounded corners.
        for shape in mark.shapes:
            for args in re.findall(r"[MLA]([^MLAZ]+)", shape.d):
                x, y = (float(n) for n in args.split()[-2:])
                assert 8 <= x <= 32, shape.d
                assert 8 <= y <= 32, shape.d


def test_shipped_logo_lookup_needs_no_query(django_assert_num_queries, postgresql):
    shipped_logos()
    with django_assert_num_queries(0):
        assert postgresql.shipped_logo.static_path == "logos/svg-logos/postgresql.svg"
        assert postgresql.generated_mark.shapes
