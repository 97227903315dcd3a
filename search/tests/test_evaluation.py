"""The search evaluation's arithmetic and its judged queries."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from search.evaluation import Judged, read_queries, score


def test_score_counts_first_and_top_three_per_kind():
    judged = [
        Judged("pg", frozenset({"postgresql"}), "abbreviation"),
        Judged("mq", frozenset({"rabbitmq", "kafka"}), "abbreviation"),
        Judged("reakt", frozenset({"react"}), "typo"),
    ]
    answers = {"pg": ["postgresql"], "mq": ["nats", "kafka"], "reakt": []}
    result = score(judged, lambda query: answers[query])
    assert (result["top1"], result["top3"]) == (round(1 / 3, 4), round(2 / 3, 4))
    assert result["by_kind"]["abbreviation"] == {"queries": 2, "top1": 0.5, "top3": 1.0}
    assert [miss["query"] for miss in result["misses"]] == ["mq", "reakt"]


def test_the_judged_set_is_large_and_varied():
    """At least 200 queries, of every way people name tools."""
    judged = read_queries()
    assert len(judged) >= 200
    assert len({item.query for item in judged}) == len(judged)
    kinds = {item.kind for item in judged}
    assert kinds == {"name", "typo", "abbreviation", "package", "multiword", "spelling"}


@pytest.mark.django_db
def test_evaluate_search_scores_the_loaded_catalog(tmp_path):
    call_command("load_catalog", stdout=StringIO())
    out = StringIO()
    call_command("evaluate_search", "--output", str(tmp_path / "e.json"), stdout=out)
    assert "search: top-1" in out.getvalue()
    assert (tmp_path / "e.json").exists()
