from __future__ import annotations

import json

import pytest

from stackshare.staticfiles import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"version": "1.1", "paths": {"css/base.css": "css/base.5e1f0c.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_a_static_address_is_the_hashed_name_from_the_manifest(storage):
    assert storage.url("css/base.css") == "/static/css/base.5e1f0c.css"
    # Worked out once: later pages do not look the manifest up again.
    storage.hashed_files.clear()
    assert storage.url("css/base.css") == "/static/css/base.5e1f0c.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match=r"css/gone\.css"):
            storage.url("css/gone.css")
