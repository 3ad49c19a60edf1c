"""Changing any single number in a statistics table makes validation fail with a message that names the round
and the column.

Every numeric measure of every qb:Observation of data/ is changed in turn (a count by +1, a contract amount by
1 億円) and the table is validated against shapes/tables.ttl. The report must not conform, some Violation must
name the row (the en label of its call; for a track, the track's or its round's label) and some Violation must
name the column (the en label of the measure in the ontology, as "column <label>"). One end-to-end test edits
data/cicle.ttl in a copy of the project and runs `ecograph validate` with all shapes.

For speed, each mutation is validated against the table shapes alone, on the subgraph they read: the mutated
table's qb:DataSet, its structure and components, its observations and the calls they count.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, QB

from ecograph.cli import main
from ecograph.namespaces import ECO
from ecograph.pipeline.load import load_sources
from ecograph.pipeline.validate import validate_graph
from ecograph.settings import PROJECT_ROOT, load_settings

ONE_OKU_YEN = Decimal(100_000_000)

SOURCES = load_sources(load_settings())
DATA = SOURCES.data()
TABLE_SHAPES = Graph().parse(PROJECT_ROOT / "shapes" / "tables.ttl", format="turtle")
MEASURES = set(SOURCES.ontology.subjects(RDF.type, QB.MeasureProperty))


def _en(graph: Graph, node) -> str:
    return next((str(label) for label in graph.objects(node, RDFS.label) if getattr(label, "language", None) == "en"), "")


def _table(dataset: URIRef) -> Graph:
    """What the table shapes read of one dataset: the dataset, its structure, its rows and the calls they count."""
    nodes = {dataset} | set(DATA.objects(dataset, QB.structure))
    nodes |= {c for s in set(nodes) for c in DATA.objects(s, QB.component)}
    rows = set(DATA.subjects(QB.dataSet, dataset))
    calls = {c for row in rows for c in DATA.objects(row, ECO.call)}
    nodes |= rows | calls
    table = Graph()
    for node in nodes:
        for triple in DATA.triples((node, None, None)):
            table.add(triple)
    return table


def _cells() -> list:
    cells = []
    for row in sorted(DATA.subjects(RDF.type, QB.Observation)):
        dataset = DATA.value(row, QB.dataSet)
        for measure, value in sorted(DATA.predicate_objects(row)):
            if measure in MEASURES:
                cells.append(pytest.param(dataset, row, measure, value, id=f"{row.rsplit('/', 1)[-1]}-{measure.rsplit('#', 1)[-1]}"))
    return cells


def _changed(measure: URIRef, value: Literal) -> Literal:
    step = ONE_OKU_YEN if measure == ECO.contractAmount else 1
    return Literal(value.toPython() + step, datatype=value.datatype)


def _row_names(row: URIRef) -> list[str]:
    """The row's call label; a track (CiCLE round 5's コロナ一次, …) may also be named by its round."""
    call = DATA.value(row, ECO.call)
    names = [_en(DATA, call)]
    if (call, RDF.type, ECO.CallTrack) in DATA:
        names.append(_en(DATA, DATA.value(call, DCTERMS.isPartOf)))
    return names


def _names(text: str, name: str) -> bool:
    """Whether text names `name` itself, not a longer name that starts with it ('round 5' is not 'round 5 (…)')."""
    return re.search(re.escape(name) + r"(?![\w(]| \()", text) is not None


def test_every_table_has_cells() -> None:
    datasets = {param.values[0] for param in _cells()}
    assert {
        URIRef("https://w3id.org/ecograph/id/dataset/cicle-calls"),
        URIRef("https://w3id.org/ecograph/id/dataset/aimgain-calls"),
    } <= datasets
    assert len(_cells()) > 100


@pytest.mark.parametrize(("dataset", "row", "measure", "value"), _cells())
def test_changing_one_figure_fails_naming_round_and_column(dataset, row, measure, value) -> None:
    table = _table(dataset)
    table.remove((row, measure, value))
    table.add((row, measure, _changed(measure, value)))

    report = validate_graph(table, TABLE_SHAPES, SOURCES.ontology)

    conforms = report.conforms
    violations = [r.message_en for r in report.results if r.severity == "Violation"]
    rows, column = _row_names(row), _en(SOURCES.ontology, measure)
    assert not conforms, f"changing {value} to {_changed(measure, value)} still conforms"
    assert any(_names(m, name) for m in violations for name in rows), f"no violation names {rows}: {violations}"
    assert any(_names(m.lower(), f"column {column}".lower()) for m in violations), f"no violation names the column {column!r}: {violations}"


def test_cli_validate_reports_a_changed_cicle_figure(project: Path, runner) -> None:
    cicle = project / "data" / "cicle.ttl"
    text = cicle.read_text(encoding="utf-8")
    start = text.index("obs:cicle-3 a qb:Observation")
    end = text.index("\n\n", start)
    block = text[start:end]
    assert block.count("ecograph:achieved 3 ;") == 1
    cicle.write_text(text[:start] + block.replace("ecograph:achieved 3 ;", "ecograph:achieved 4 ;") + text[end:], encoding="utf-8")

    result = runner.invoke(main, ["--root", str(project), "validate"])

    assert result.exit_code == 1, result.output
    assert "CiCLE call round 3" in result.output
    assert "goal achieved" in result.output
