"""Fixtures of the HTTP tests only: a real Virtuoso with the session's build, and ecograph's front over it."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.project import settings_for


@pytest.fixture(scope="session")
def virtuoso(built_root, tmp_path_factory):
    """A real Virtuoso (Debian's, installed by scripts/test) started on loopback for the session, with the
    session's build bulk-loaded into it; yields its SPARQL endpoint and isql address, and stops it by its
    process id."""
    import os
    from types import SimpleNamespace

    from ecograph.tools import virtuoso as v
    from tests.helpers.servers import free_port

    if shutil.which(v.BINARY) is None:
        if os.environ.get("CI"):
            pytest.fail("virtuoso-t is missing: scripts/test installs virtuoso-opensource-7-bin")
        pytest.skip("virtuoso-t is not installed (scripts/test installs it)")
    directory = tmp_path_factory.mktemp("virtuoso")
    state = v.start(directory, free_port(), free_port(), allowed=[built_root / ".dist"], max_seconds=20)
    try:
        v.bulk_load(f"isql://127.0.0.1:{state['isql']}", built_root / "dist")
        yield SimpleNamespace(endpoint=f"http://127.0.0.1:{state['http']}/sparql", isql=f"isql://127.0.0.1:{state['isql']}")
    finally:
        v.stop(directory)


@pytest.fixture(scope="module")
def virtuoso_app(built_root, virtuoso):
    """ecograph's front over that Virtuoso (store = its endpoint URL)."""
    from ecograph.http import create_app

    app = create_app(settings_for(built_root, store=virtuoso.endpoint, query_timeout_s=10.0))
    yield app
    app.extensions["ecograph"].close()
