"""`ecograph validate` for data stewards: clear errors that name the file and line or the focus node, the
right exit code, a grouped report in three formats."""

from __future__ import annotations

import json

from rdflib import Graph
from rdflib.namespace import SH

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


# --- a steward's own file, in the project's context (issue 12) -------------------------------------------------

def _served_program_2(client) -> str:
    """/data/id/program/2.ttl as the server serves it: what a steward downloads and edits."""
    r = client.get("/data/id/program/2.ttl")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _validate(runner, root, path, *extra):
    return runner.invoke(main, ["--root", str(root), "validate", *extra, str(path)])


def test_a_served_page_validates_clean_in_context(client, built_root, runner, tmp_path):
    page = tmp_path / "program-2.ttl"
    page.write_text(_served_program_2(client), encoding="utf-8")
    result = _validate(runner, built_root, page)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("conforms: 0 violation(s), 0 warning(s), 0 info")
    assert "data: in the project's context" in result.stdout and "validator: oxigraph" in result.stdout
    alone = _validate(runner, built_root, page, "--alone")  # the old behaviour: what the file only refers to looks missing
    assert alone.exit_code == 1 and "data: alone" in alone.stdout


def test_a_removed_label_gives_exactly_that_violation(client, built_root, runner, tmp_path):
    text = _served_program_2(client)
    label = '"Research Program for Promoting Drug-Discovery Platforms"@en'
    assert label in text
    page = tmp_path / "program-2.ttl"
    page.write_text(text.replace(label + " , ", "").replace(" , " + label, ""), encoding="utf-8")
    report = json.loads(_validate(runner, built_root, page, "--format", "json").stdout)
    assert [(r["severity"], r["shape"], r["focus"], r["path"]) for r in report["results"]] == [
        ("Violation", "ecosh:LabelShape", "program:2", "rdfs:label")]
    assert report["conforms"] is False and report["violations"] == 1


def test_an_xsd_int_program_number_gives_exactly_that_violation_naming_both_datatypes(client, built_root, runner, tmp_path):
    """pyoxigraph stores "2"^^xsd:int as 2 (xsd:integer); the validator judges the term as written."""
    text = _served_program_2(client)
    page = tmp_path / "program-2.ttl"
    page.write_text(text.replace("ecograph:programNumber 2 ;", 'ecograph:programNumber "2"^^<http://www.w3.org/2001/XMLSchema#int> ;'),
                    encoding="utf-8")
    result = _validate(runner, built_root, page, "--format", "json")
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["results"]
    assert (found["focus"], found["path"], found["value"]) == ("program:2", "ecograph:programNumber", '"2"^^xsd:int')
    assert "(expected xsd:integer, got \"2\"^^xsd:int)" in found["message_en"]
    assert found["value_term"] == {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#int"}


def test_a_new_resource_in_the_project_vocabulary_is_judged_with_the_project_around_it(built_root, runner, tmp_path):
    """It may refer to the project's slides and code lists; only its own problems are reported."""
    page = tmp_path / "new.ttl"
    page.write_text("""
        @prefix ecograph: <https://w3id.org/ecograph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix slide: <https://w3id.org/ecograph/id/source/slide/> .
        <https://example.org/program/new> a ecograph:SupportProgram ;
            rdfs:label "新事業"@ja , "A new program"@en ;
            ecograph:programNumber "33" ;
            ecograph:slide slide:10 .
        """, encoding="utf-8")
    report = json.loads(_validate(runner, built_root, page, "--format", "json").stdout)
    assert {r["focus"] for r in report["results"]} == {"<https://example.org/program/new>"}
    (number,) = [r for r in report["results"] if r["path"] == "ecograph:programNumber"]  # one result, not three
    assert set(number["components"]) == {"Datatype", "MinInclusive", "MaxInclusive"}
    assert '(expected xsd:integer, got "33"^^xsd:string)' in number["message_en"]
    assert "the source numbers its programs ① to ㉜" in number["message_en"]


def test_the_project_label_does_not_fill_in_the_one_the_file_dropped(built_root, runner, tmp_path):
    """Merging by hand (the project's files beside the steward's) hid this error; context replaces, never merges."""
    page = tmp_path / "p.ttl"
    page.write_text("""
        @prefix ecograph: <https://w3id.org/ecograph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix program: <https://w3id.org/ecograph/id/program/> .
        program:29 rdfs:label "Angel Tax Scheme"@en .
        """, encoding="utf-8")
    report = json.loads(_validate(runner, built_root, page, "--format", "json").stdout)
    assert ("ecosh:LabelShape", "program:29") in {(r["shape"], r["focus"]) for r in report["results"]}


def test_own_shapes_alone_print_the_shacl_report_graph(runner, tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxLength 3 ] .
        """, encoding="utf-8")
    data = tmp_path / "data.ttl"
    data.write_text("@prefix ex: <https://example.org/> . ex:a a ex:Thing ; ex:name \"long name\" . ex:b a ex:Thing .", encoding="utf-8")
    result = runner.invoke(main, ["--root", str(tmp_path), "validate", "--alone", "--shapes", str(shapes), str(data), "--format", "ttl"])
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="nt")
    assert [c.toPython() for c in report.objects(None, SH.conforms)] == [False]
    assert {str(c).rsplit("#", 1)[1] for c in report.objects(None, SH.sourceConstraintComponent)} == {
        "MinCountConstraintComponent", "MaxLengthConstraintComponent"}


def test_many_results_print_a_summary_and_the_first_of_each_shape(runner, tmp_path):
    data = tmp_path / "many.ttl"
    data.write_text("@prefix ecograph: <https://w3id.org/ecograph/ontology#> .\n" + "".join(
        f"<https://example.org/p/{i}> a ecograph:SupportProgram .\n" for i in range(300)), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--alone", str(data), "--max-results", "2"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) < 150, len(lines)
    assert "more of this shape (--max-results to see more)" in result.stdout
    assert lines[0].startswith("does NOT conform: ")
    report = json.loads(runner.invoke(main, ["validate", "--alone", str(data), "--max-results", "1", "--format", "json"]).stdout)
    assert report["results_total"] > len(report["results"]) and sum(report["counts"].values()) == report["results_total"]


def test_alone_and_shapes_need_files(runner):
    result = runner.invoke(main, ["validate", "--alone"])
    assert result.exit_code == 2 and "need FILES" in result.output


def test_deep_nesting_is_a_clear_error_and_a_long_chain_validates(runner, tmp_path):
    """Turtle nested past 64 levels is refused with its place (rdflib's parser would run out of stack); a chain of
    10,000 blank nodes is read like any other graph (the loader's labelling walked it recursively)."""
    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix ex: <https://example.org/> .\nex:s ex:p " + "[ ex:p " * 100 + "1" + " ]" * 100 + " .\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", "--alone", str(deep)])
    assert result.exit_code == 2 and "line 2, column" in result.output and "nested more than 64 levels deep" in result.output
    chain = tmp_path / "chain.ttl"
    chain.write_text("@prefix ex: <https://example.org/> .\nex:s ex:p _:b0 .\n" + "".join(
        f"_:b{i} ex:p _:b{i + 1} .\n" for i in range(10_000)), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--alone", str(chain)])
    assert result.exit_code == 0, result.output


def test_a_report_on_blank_focus_nodes_is_written_quickly_and_the_same_every_time(runner, tmp_path):
    """The ttl report labels blank nodes from what they hold (rdflib's canonical labelling took minutes here)."""
    data = tmp_path / "years.ttl"
    data.write_text("".join(f'_:y{i} a <https://w3id.org/ecograph/ontology#FiscalYear> ; <http://www.w3.org/2000/01/rdf-schema#label> "{i}"@en .\n'
                            for i in range(40)), encoding="utf-8")
    first = runner.invoke(main, ["validate", "--alone", "--format", "ttl", str(data)])
    again = runner.invoke(main, ["validate", "--alone", "--format", "ttl", str(data)])
    assert first.exit_code == 1 and first.stdout == again.stdout
    report = Graph().parse(data=first.stdout, format="nt")
    assert len(set(report.objects(None, SH.focusNode))) == 40
