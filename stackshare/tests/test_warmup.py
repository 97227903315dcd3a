"""The master compiles every template of ours before forking workers."""

from __future__ import annotations

from stackshare.warmup import warm_up


def test_every_template_of_ours_compiles():
    names = warm_up()
    assert "base.html" in names
    assert "tools/tool_detail.html" in names
