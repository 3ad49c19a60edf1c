"""The quality checks (queries/checks/*-violation.rq): none fires on the built graph, and each fires on a
small dataset made to break it (tests/fixtures/checks/<check>.trig)."""

from __future__ import annotations

import pytest

from ecograph.cli import main
from ecograph.engine import local
from ecograph.engine.job import Job
from ecograph.namespaces import sparql_prefixes
from ecograph.queries import NamedQuery
from ecograph.settings import PROJECT_ROOT
from tests.helpers.paths import TESTS

CHECKS = sorted((PROJECT_ROOT / "queries" / "checks").glob("*-violation.rq"))
FIXTURES = TESTS / "fixtures" / "checks"


def test_every_check_has_a_breaking_fixture():
    assert {p.stem for p in CHECKS} == {p.stem for p in FIXTURES.glob("*.trig")}


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_fires_on_its_fixture(check):
    engine = local.over_files([FIXTURES / f"{check.stem}.trig"])
    result = engine.run(Job(sparql_prefixes() + NamedQuery.from_file(check).text, local.NO_CAP))
    assert result.rows, f"{check.stem} found nothing in a dataset made to break it"


def test_no_check_fires_on_the_built_graph(built_root, runner):
    result = runner.invoke(main, ["--root", str(built_root), "check"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count(": ok") == len(CHECKS)


def test_check_exits_1_when_a_check_fires(built_root, tmp_path, runner):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built_root, root, symlinks=True)
    (root / "queries" / "checks" / "always-violation.rq").write_text(
        "# title: Always fires\nSELECT ?x WHERE { VALUES ?x { 1 } }\n", encoding="utf-8")
    result = runner.invoke(main, ["--root", str(root), "check"])
    assert result.exit_code == 1
    assert "always-violation: 1 violation(s)" in result.stderr
