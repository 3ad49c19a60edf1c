"""`ecograph validate` for data stewards: clear errors that name the file and line or the focus node, the
right exit code, a grouped report in three formats."""

from __future__ import annotations

import json

from ecograph.cli import main


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_project_data_conforms(project, runner):
    result = runner.invoke(main, ["--root", str(project), "validate"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("no violations: 0 violation(s)")


def test_wrong_datatype_names_the_focus_node_and_slide(project, runner):
    _edit(project / "data" / "aimgain.ttl", 'ecograph:opened "2023-09"^^xsd:gYearMonth', 'ecograph:opened "2023-09-01"^^xsd:date')
    result = runner.invoke(main, ["--root", str(project), "validate"])
    assert result.exit_code == 1
    out = result.stdout
    assert "ecosh:CallShape" in out
    assert "call:aimgain-3 «AIMGAIN call 3» [slide:7]" in out
    assert "ecograph:opened: The opening month is one xsd:gYearMonth" in out


def test_missing_ja_label_names_the_focus_node(project, runner):
    _edit(project / "data" / "programs.ttl", 'rdfs:label "エンジェル税制"@ja , "Angel Tax Scheme"@en ;', 'rdfs:label "Angel Tax Scheme"@en ;')
    result = runner.invoke(main, ["--root", str(project), "validate", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    hits = [r for r in report["results"] if r["focus"] == "program:29" and r["severity"] == "Violation"]
    assert hits and "one in Japanese (@ja)" in hits[0]["message_en"]
    assert hits[0]["slide"] == "slide:10" and hits[0]["focus_label"] == "Angel Tax Scheme"


def test_validate_given_files_only(project, runner, tmp_path):
    extra = tmp_path / "one.ttl"
    extra.write_text(
        "@prefix ecograph: <https://w3id.org/ecograph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/ecograph/id/fiscal-year/2030> a ecograph:FiscalYear ;\n"
        '    rdfs:label "令和12年度"@ja .\n', encoding="utf-8")
    result = runner.invoke(main, ["--root", str(project), "validate", str(extra)])
    assert result.exit_code == 1
    assert "fiscal-year/2030" in result.stdout and "Needs exactly two rdfs:labels" in result.stdout


def test_turtle_error_in_a_given_file_exits_2(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.ttl, line 3, column" in result.stderr


def test_report_as_shacl_graph(project, runner):
    result = runner.invoke(main, ["--root", str(project), "validate", "--format", "ttl"])
    assert result.exit_code == 0
    assert "<http://www.w3.org/ns/shacl#conforms>" in result.stdout
