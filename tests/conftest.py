"""Shared fixtures: a private copy of the project per session (so tests never touch the real dist/),
a build of it made once, settings pointing at it, and a click runner."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecograph.settings import PROJECT_ROOT, Settings

PROJECT_PARTS = ("ontology", "shapes", "data", "queries")


def copy_project(target: Path) -> Path:
    """Copy the inputs of a build (not dist/) into target; returns target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        shutil.copytree(PROJECT_ROOT / part, target / part)
    return target


def settings_for(root: Path, **overrides) -> Settings:
    return Settings(root=root, dist=root / "dist", **overrides)


@pytest.fixture(scope="session")
def built_root(tmp_path_factory) -> Path:
    """A copy of the project, built once for the whole session. Treat it as read-only."""
    from ecograph.pipeline.build import build

    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    build(settings_for(root))
    return root


@pytest.fixture(scope="session")
def built_settings(built_root) -> Settings:
    return settings_for(built_root)


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh, unbuilt copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def app(built_settings):
    """The WSGI app over the session's build, with real query workers; one per test module."""
    from ecograph.http import create_app

    app = create_app(built_settings)
    yield app
    app.extensions["ecograph"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def virtuoso(built_root, tmp_path_factory):
    """A real Virtuoso (Debian's, installed by scripts/test) started on loopback for the session, with the
    session's build bulk-loaded into it; yields its SPARQL endpoint and isql address, and stops it by its
    process id."""
    import os
    from types import SimpleNamespace

    from ecograph.tools import virtuoso as v
    from tests.servers import free_port

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


@contextlib.contextmanager
def data_app(directory: Path, name: str, turtle: str, more: tuple = (), **overrides):
    """An app serving one Turtle file (serve --data) with one real worker, closed afterwards; more: further files
    (paths, or serving.Source for --named-graph), overrides: settings."""
    from ecograph.http import create_app

    path = directory / name
    path.write_text(turtle, encoding="utf-8")
    app = create_app(settings_for(directory, workers=1, **overrides), data_files=[path, *more])
    try:
        yield app
    finally:
        app.extensions["ecograph"].close()
