"""Test helper: a private copy of the project, settings pointing at a copy, a release of the small fixture dataset
and an app over data files; what tests/conftest.py's fixtures are made of and what test modules call directly."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from ecograph.settings import PROJECT_ROOT, Settings
from tests.helpers.paths import MINI

PROJECT_PARTS = ("ontology", "shapes", "data", "queries")


def copy_project(target: Path) -> Path:
    """Copy the inputs of a build (not dist/) into target; returns target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        shutil.copytree(PROJECT_ROOT / part, target / part)
    return target


def settings_for(root: Path, **overrides) -> Settings:
    return Settings(root=root, dist=root / "dist", **overrides)


def mini_release(root: Path, **overrides) -> Settings:
    """Settings for root, with tests/fixtures/mini.trig published there as its release (dist/dataset.nq, what a
    build writes): for engine tests that need a release but no fact of the real data, and no build."""
    import pyoxigraph as ox

    dist = root / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    ox.serialize(ox.parse(path=str(MINI), format=ox.RdfFormat.TRIG), output=str(dist / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return settings_for(root, **overrides)


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
