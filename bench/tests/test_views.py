"""The baseline page and the bench app exist only for the benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_production_has_no_bench_app_and_no_bench_address():
    """Without DJANGO_BENCH the app is not installed and /bench/ is not routed."""
    env = {**os.environ, "DJANGO_ALLOW_DEVELOPMENT_KEY": "1"}
    env.pop("DJANGO_BENCH", None)
    probe = (
        "import django; django.setup(); "
        "from django.apps import apps; from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/bench/baseline/'); routed = True\n"
        "except Resolver404:\n    routed = False\n"
        "print(apps.is_installed('bench'), routed)"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "stackshare.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["False", "False"]


def test_baseline_renders_a_trivial_page_without_queries(
    client, db, django_assert_num_queries
):
    """The benchmark's yardstick: a template, no database."""
    with django_assert_num_queries(0):
        response = client.get(reverse("bench:baseline"))
    assert response.status_code == 200
    assert b"without the database" in response.content
