from __future__ import annotations

import pytest

from tools.templatetags.numbers import compact


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (0, "0"),
        (999, "999"),
        (1000, "1k"),
        (1234, "1.2k"),
        (70_512, "70.5k"),
        (999_999, "1M"),
        (2_300_000, "2.3M"),
    ],
)
def test_compact_numbers_read_naturally(value, shown):
    assert compact(value) == shown
