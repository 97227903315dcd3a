"""The baseline page exists only for the benchmark."""

from __future__ import annotations

from django.urls import reverse


def test_baseline_is_a_404_unless_the_benchmark_turns_it_on(client, settings, db):
    """In production the address answers like any unknown one."""
    settings.BENCH_BASELINE = False
    assert client.get(reverse("bench:baseline")).status_code == 404


def test_baseline_renders_a_trivial_page_without_queries(
    client, settings, db, django_assert_num_queries
):
    """The benchmark's yardstick: a template, no database."""
    settings.BENCH_BASELINE = True
    with django_assert_num_queries(0):
        response = client.get(reverse("bench:baseline"))
    assert response.status_code == 200
    assert b"without the database" in response.content
