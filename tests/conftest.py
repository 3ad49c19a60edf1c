"""Shared fixtures, for every folder below: a private copy of the project per session (so tests never touch the
real dist/), a build of it made once, settings pointing at it, the app and its client, and a click runner. The
functions they are made of are in tests/helpers/project.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ecograph.settings import Settings
from tests.helpers.project import copy_project, settings_for


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
