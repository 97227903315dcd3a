from __future__ import annotations

import re
from pathlib import Path

from decisions.demo import read_demo_data
from decisions.models import MAX_TOOLS, DecisionKind

TOOLS_DATA = Path(__file__).resolve().parents[2] / "tools" / "data"


def test_demo_data_tags_only_catalog_tools_within_the_rules():
    """Every slug exists in tools/data, decisions choose something, advice only weighs."""
    slugs = set()
    for path in TOOLS_DATA.glob("tools_*.toml"):
        slugs |= set(re.findall(r'^slug = "([^"]+)"', path.read_text(), re.MULTILINE))
    data = read_demo_data()
    assert len(data["decision"]) >= 60
    titles = set()
    for row in data["decision"]:
        tags = [*row.get("chosen", []), *row.get("considered", [])]
        assert set(tags) <= slugs, row["title"]
        assert 1 <= len(tags) <= MAX_TOOLS, row["title"]
        assert (row["kind"] == DecisionKind.DECIDED) == bool(row.get("chosen")), row[
            "title"
        ]
        assert row["title"] not in titles
        titles.add(row["title"])
    seed_tools = {"flask", "rust", "django", "nodejs", "golang", "php"}
    assert seed_tools <= {
        s
        for row in data["decision"]
        for s in row.get("chosen", []) + row.get("considered", [])
    }
