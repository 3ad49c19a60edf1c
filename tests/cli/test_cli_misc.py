"""The remaining commands: reason, publish, queries, and the version."""

from __future__ import annotations

from ecograph import __version__
from ecograph.cli import main


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_reason_summary_and_turtle(project, runner):
    result = runner.invoke(main, ["--root", str(project), "reason"])
    assert result.exit_code == 0
    assert "inferred from stated facts:" in result.stdout and "inferred only with interpretations:" in result.stdout
    result = runner.invoke(main, ["--root", str(project), "reason", "--format", "ttl"])
    assert result.exit_code == 0
    assert "frapo:FundingProgramme" in result.stdout


def test_queries_lists_the_catalogue(built_root, runner):
    result = runner.invoke(main, ["--root", str(built_root), "queries"])
    assert result.exit_code == 0
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert {"programs", "cicle-rounds", "unknowns"} <= set(names)


def test_query_before_any_build_says_what_to_do(project, runner):
    result = runner.invoke(main, ["--root", str(project), "query", "programs"])
    assert result.exit_code == 2
    assert "there is no build" in result.stderr and "ecograph build" in result.stderr
