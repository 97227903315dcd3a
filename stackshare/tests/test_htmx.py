"""An htmx swap gets a fragment; a history restore gets the whole page.

htmx 2 sends HX-Request with a history restore too (after "back", when its
own snapshot is gone), so answering that with the fragment would show a
page without its header. Both with and without the page cache.
"""

from __future__ import annotations

import pytest

from tools.tests.factories import make_tool

pytestmark = pytest.mark.django_db

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
ADDRESSES = [
    "/tools/?page=1",
    "/stacks/",
    "/companies/",
    "/decisions/",
    "/stackups/flask-vs-rust/decisions/",
    "/search/tools/?q=flask",
]


@pytest.fixture
def pages():
    make_tool(name="Flask")
    make_tool(name="Rust")


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "cached"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_a_history_restore_gets_the_whole_page(
    client, settings, pages, address, cached
):
    settings.PAGE_CACHE_SECONDS = 300 if cached else 0
    swap = client.get(address, headers=SWAP)
    assert swap.status_code == 200
    assert b"<html" not in swap.content
    restore = client.get(address, headers=RESTORE)
    assert restore.status_code == 200
    assert b"<html" in restore.content
    assert b'class="site-header"' in restore.content
    assert "HX-History-Restore-Request" in restore["Vary"]
    # And the swap is still answered with the fragment afterwards.
    assert b"<html" not in client.get(address, headers=SWAP).content
