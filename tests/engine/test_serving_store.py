"""The on-disk serving store (storage = "disk") is derived data: a missing one is made, a damaged one is made again, and a missing build
is a clear error at start. On a release of the small fixture dataset (tests/fixtures/mini.trig), not the real build."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ecograph.engine.serving import serve_release
from ecograph.errors import NotBuiltError
from tests.helpers.project import mini_release, settings_for


@pytest.fixture
def built_copy(tmp_path):
    """A project whose release is the fixture dataset (no build, no copy of the real one)."""
    target = tmp_path / "copy"
    mini_release(target)
    return target


def test_a_missing_store_is_made(built_copy):
    served = serve_release(replace(settings_for(built_copy), storage="disk"))
    assert served.store.exists() and "https://w3id.org/ecograph/graph/stated" in served.graphs


def test_a_corrupt_store_is_made_again(built_copy):
    settings = replace(settings_for(built_copy), storage="disk")
    store = serve_release(settings).store
    for path in store.iterdir():  # damage every file of the RocksDB folder
        if path.is_file():
            path.write_bytes(b"\x00garbage")
    served = serve_release(settings)
    assert "https://w3id.org/ecograph/graph/stated" in served.graphs


def test_no_build_is_a_clear_error(tmp_path):
    with pytest.raises(NotBuiltError, match="there is no build"):
        serve_release(settings_for(tmp_path))
