"""The benchmark's worst import: at every limit, refused by none, measured in-process."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

import scanner
from bench.imports import multipart, worst_case_files
from scanner.limits import MAX_IMPORT_SIZE, MAX_PACKAGES, MAX_SLOW_SIZE, SLOW_KINDS
from scanner.manifests import reader_for


def test_the_worst_import_is_at_every_limit_and_within_them():
    files = worst_case_files()
    assert len(files) <= 20
    total = sum(len(content) for _, content in files)
    assert MAX_IMPORT_SIZE - 4 * 1024 < total <= MAX_IMPORT_SIZE
    budget = scanner.Budget()
    results = [scanner.read_manifest(name, data, budget=budget) for name, data in files]
    assert [w for r in results for w in r.warnings] == []
    assert sum(len(r.packages) for r in results) == MAX_PACKAGES
    slow = [
        content
        for name, content in files
        if (found := reader_for(name)) and found[0] in SLOW_KINDS
    ]
    assert MAX_SLOW_SIZE - 1024 < sum(map(len, slow)) <= MAX_SLOW_SIZE


def test_multipart_encodes_fields_and_files():
    body, content_type = multipart({"csrfmiddlewaretoken": "t"}, [("a.txt", b"x\n")])
    boundary = content_type.split("boundary=")[1]
    assert body.startswith(f"--{boundary}\r\n".encode())
    assert b'name="files"; filename="a.txt"' in body
    assert body.endswith(f"--{boundary}--\r\n".encode())


@pytest.mark.django_db
def test_importers_are_distinct_members_signed_in_with_a_token(tmp_path):
    call_command(
        "generate_bench_data", "--scale", "0.002", stdout=StringIO(), verbosity=0
    )
    output = tmp_path / "importers.json"
    call_command(
        "bench_importers",
        "--members",
        "3",
        "--measure",
        "1",
        "--output",
        str(output),
        stderr=StringIO(),
    )
    plan = json.loads(output.read_text())
    members = [entry["member"] for entry in plan["importers"]]
    assert len(set(members)) == 3
    for entry in plan["importers"]:
        assert entry["path"].endswith("/import/")
        assert f"csrftoken={entry['csrf']}" in entry["cookie"]
    # The command fails unless the worst import was answered with its preview.
    assert len(plan["worst_import_cpu_s"]) == 1
