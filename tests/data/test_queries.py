"""Every named query for the tables reads back the document's figures: its CSV output equals an expected
CSV written by hand from the source (tests/expected/)."""

from __future__ import annotations

import pytest

from ecograph.cli import main
from ecograph.engine.results import to_text
from ecograph.errors import UsageError
from ecograph.queries import catalogue, run_named
from tests.helpers.paths import EXPECTED


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPECTED.glob("*.csv")))
def test_named_query_matches_hand_written_csv(name, built_settings):
    got = to_text(run_named(name, {}, built_settings), "csv")
    assert got == (EXPECTED / f"{name}.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPECTED.glob("*.csv")))
def test_cli_csv_output_is_the_same(name, built_root, runner):
    result = runner.invoke(main, ["--root", str(built_root), "query", name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (EXPECTED / f"{name}.csv").read_text(encoding="utf-8")


def test_every_named_query_has_a_header_and_answers(built_settings):
    queries = catalogue(built_settings)
    assert {"programs", "aimgain-calls", "cicle-rounds", "stakeholder-programs", "unknowns"} <= set(queries)
    for q in queries.values():
        assert q.title.get("en") and q.title.get("ja"), q.name
        assert q.description.get("en") and q.description.get("ja"), q.name
        result = run_named(q.name, {}, built_settings)
        assert result.rows, f"{q.name} returned no rows"


def test_unknowns_lists_each_missing_fact_once(built_settings):
    result = run_named("unknowns", {}, built_settings)
    records = [r[0][1] for r in result.rows]
    assert len(records) == len(set(records))
    cells = {(r[1][1], r[2][1]) for r in result.rows}
    base = "https://w3id.org/ecograph/"
    # the planned AIMGAIN call 5 has no counts yet; program 2's ministry was a colour
    assert (base + "id/call/aimgain-5", base + "ontology#applications") in cells
    assert (base + "id/program/2", base + "ontology#ministry") in cells
    # a stated ministry is never listed as unknown
    assert (base + "id/program/7b", base + "ontology#ministry") not in cells


def test_stated_layer_never_relies_on_interpretation(built_settings):
    rows = run_named("stakeholder-programs", {}, built_settings).rows
    stated = {(r[0][1], r[1][1]) for r in rows if r[3][1] == "true"}
    assert stated == {("academia", "1"), ("startup", "1"), ("startup", "10"), ("startup", "13"), ("venture capital (VC)", "13")}


def test_query_from_a_file(built_settings, tmp_path):
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?p a ecograph:SupportProgram ; ecograph:programNumber ?x }\n")
    assert run_named(str(rq), {}, built_settings).rows[0][0][1] == "35"


def test_unknown_query_name_is_a_usage_error(built_settings):
    with pytest.raises(UsageError, match="no named query 'nope'"):
        run_named("nope", {}, built_settings)


def test_cli_unknown_parameter_exits_2(built_root, runner):
    result = runner.invoke(main, ["--root", str(built_root), "query", "programs", "--param", "x=1"])
    assert result.exit_code == 2
    assert "has no parameter x" in result.stderr
