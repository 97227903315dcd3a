"""The day and month pages show read exactly as Django's ``date`` filter would."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.utils import timezone

DJANGO = engines["django"].from_string('{{ value|date:"j M Y" }}')
OURS = engines["django"].from_string("{% load timestamps %}{{ value|day }}")


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 6, 23, 30, tzinfo=UTC),  # already the next day in Paris
        datetime(2026, 1, 1, 0, 5, tzinfo=UTC),  # still the last year in New York
        datetime(2026, 5, 9, 12, 0, tzinfo=UTC),
        date(2027, 9, 30),
        None,
    ],
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_day_reads_as_djangos_date_filter(value, zone):
    with timezone.override(zone):
        assert OURS.render({"value": value}) == DJANGO.render({"value": value})


def test_a_day_names_the_month_in_words():
    assert OURS.render({"value": date(2026, 2, 3)}) == "3 Feb 2026"


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already January in Paris
        datetime(2026, 3, 1, 2, 0, tzinfo=UTC),  # still February in New York
        date(2027, 9, 1),
        None,
    ],
)
@pytest.mark.parametrize(
    ("ours", "djangos"), [("", "M Y"), (':"long"', "F Y"), (':"iso"', "Y-m")]
)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/New_York"])
def test_month_reads_as_djangos_date_filter(value, ours, djangos, zone):
    month = engines["django"].from_string(
        f"{{% load timestamps %}}{{{{ value|month{ours} }}}}"
    )
    django = engines["django"].from_string(f'{{{{ value|date:"{djangos}" }}}}')
    with timezone.override(zone):
        assert month.render({"value": value}) == django.render({"value": value})
