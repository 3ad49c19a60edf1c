"""The oxigraph validator (ecograph/shacl/validator.py) agrees with pyshacl, the reference (issue 5, part 4).

On the seed and on every fixture under tests/shapes/, both give the same conformance and the same results,
compared as (severity, shape, focus, path, value) with how often each occurs, and the same messages wherever
the shape (or its SPARQL constraint) gives sh:message; a constraint without one gets each validator's own
default message. Edge cases the fixtures do not reach (ill-formed literals, blank nodes, language ranges) are
checked the same way, and so is the part of the ontology each mixes into the data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from pyshacl.rdfutil.inoculate import inoculate
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from ecograph.errors import UsageError
from ecograph.pipeline import validate, validation_report
from ecograph.pipeline.load import load_sources
from ecograph.settings import Settings, load_settings
from ecograph.shacl import store as shacl_store
from ecograph.shacl import validator as shacl
from ecograph.shacl.errors import UnsupportedShapes
from ecograph.shacl.prebinding import needs_prebinding, prebound_text, predicates_of
from ecograph.shacl.shapes import Shapes
from tests.helpers.shapes import ONTOLOGY, SHAPES, SHARED
from tests.helpers.shapes import fixtures as _fixtures
from tests.helpers.shapes import parse as _parse
from tests.helpers.shapes import shape_graph as _shape_graph

PREFIXES = """
@prefix ecosh: <https://w3id.org/ecograph/shapes#> .
@prefix ecograph: <https://w3id.org/ecograph/ontology#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix slide: <https://w3id.org/ecograph/id/source/slide/> .
@prefix ex: <https://example.org/fixture/> .
"""


def _outcome(report: validation_report.ValidationReport, shapes: Graph, data: list[Graph]) -> Counter:
    """The results of a report as (severity, shape, focus, path, value, en, ja), counted; the messages only
    where the shape or SPARQL constraint that gave the result has sh:message."""
    graph, names = report.graph, validation_report.Lookup(data)
    outcome: Counter = Counter()
    for node in graph.subjects(SH.resultSeverity, None):
        sources = [graph.value(node, SH.sourceShape), graph.value(node, SH.sourceConstraint)]
        given = any(s is not None and (s, SH.message, None) in shapes for s in sources)
        messages = validation_report._messages_by_language(graph.objects(node, SH.resultMessage)) if given else {}
        shape = validation_report._owning_shape(shapes, sources[0])
        path = graph.value(node, SH.resultPath)
        outcome[(
            str(graph.value(node, SH.resultSeverity)),
            validation_report._short(shapes, shape) if isinstance(shape, URIRef) else "(anonymous shape)",
            names.short(graph.value(node, SH.focusNode)),
            names.short(path) if isinstance(path, URIRef) else "" if path is None else "(complex path)",
            names.short(graph.value(node, SH.value)),
            messages.get("en"),
            messages.get("ja"),
        )] += 1
    return outcome


def _assert_agree(data: Graph, shapes: Graph, ontology: Graph = ONTOLOGY) -> validation_report.ValidationReport:
    fast = validate.validate_graph(data, shapes, ontology, validator="oxigraph")
    reference = validate.validate_graph(data, shapes, ontology, validator="pyshacl")
    assert fast.conforms == reference.conforms
    ours, theirs = _outcome(fast, shapes, [data, ontology]), _outcome(reference, shapes, [data, ontology])
    assert ours == theirs, f"oxigraph only: {sorted(ours - theirs)}\npyshacl only: {sorted(theirs - ours)}"
    assert fast.summary() == reference.summary()
    return fast


def test_seed_agrees():
    sources = load_sources(load_settings())
    fast, reference = validate.validate(sources, "oxigraph"), validate.validate(sources, "pyshacl")
    assert fast.conforms == reference.conforms
    assert [r.to_dict() for r in fast.results] == [r.to_dict() for r in reference.results]
    data = [sources.stated, sources.interpreted, sources.ontology]
    assert _outcome(fast, sources.shapes, data) == _outcome(reference, sources.shapes, data)


@pytest.mark.parametrize("path", _fixtures())
def test_fixture_agrees(path: Path):
    _assert_agree(_parse([path]) + SHARED, _shape_graph(path.parent.name))


EDGE_CASES = PREFIXES + """
ex:slide-a a ecograph:Slide ; ecograph:slideNumber "abc"^^xsd:integer ; ecograph:numberPrinted true ; ecograph:document ex:doc .
ex:slide-b a ecograph:Slide ; ecograph:slideNumber "1.5"^^xsd:integer ; ecograph:numberPrinted "true"^^xsd:string ;
    ecograph:document [ a ecograph:SourceDocument ] .
ex:slide-c a ecograph:Slide ; ecograph:slideNumber 0 , 3 ; ecograph:numberPrinted 1 ; ecograph:document ex:slide-a .
ex:fy a ecograph:FiscalYear ; ecograph:fiscalYearStart "2025-02-30"^^xsd:date ; ecograph:fiscalYearEnd "2026-03-31" ;
    rdfs:label "年度"@ja , "fiscal year"@en-GB , "FY"@EN , "untagged" ; ecograph:slide slide:1 , "slide 1" .
ex:amount a schema:MonetaryAmount ; schema:value -1.0 , "12"^^xsd:integer ; schema:currency "JPY"@en ;
    ecograph:amountKind <https://w3id.org/ecograph/id/amount-kind/annual> , [ skos:inScheme ex:nothing ] .
ex:call a ecograph:Call ; ecograph:callNumber "01"^^xsd:integer ; ecograph:planned "yes" ; ecograph:opened "2022-13"^^xsd:gYearMonth ;
    ecograph:researchStarted "2022-08"^^xsd:gYearMonth ; <http://purl.org/dc/terms/isPartOf> [ a ecograph:Call ] , ex:slide-a .
"""


def test_edge_cases_agree():
    """Ill-formed and non-canonical literals, blank nodes as values, language ranges, literals where IRIs belong."""
    data = Graph().parse(data=EDGE_CASES, format="turtle") + SHARED
    report = _assert_agree(data, SHAPES)
    assert report.count("Violation") > 20  # the edge cases are seen, not skipped


def test_the_one_known_difference_plain_and_xsd_string_literals():
    """RDF 1.1 makes "JPY" and "JPY"^^xsd:string one term (a simple literal is an xsd:string); rdflib, and so
    pyshacl, keeps them apart, and finds "JPY"^^xsd:string outside sh:in ( "JPY" ). The oxigraph validator
    follows RDF 1.1. No data or fixture of the project writes ^^xsd:string."""
    data = Graph().parse(data=PREFIXES + """ex:amount a schema:MonetaryAmount ; schema:currency "JPY"^^xsd:string ;
        ecograph:amountKind <https://w3id.org/ecograph/id/amount-kind/fund> ; rdfs:label "金額"@ja , "amount"@en ;
        ecograph:slide slide:1 .""", format="turtle") + SHARED
    assert validate.validate_graph(data, SHAPES, ONTOLOGY, validator="oxigraph").conforms
    assert not validate.validate_graph(data, SHAPES, ONTOLOGY, validator="pyshacl").conforms


def test_deactivated_shape_gives_nothing():
    shapes = Graph().parse(data=PREFIXES + """
        ex:Off a sh:NodeShape ; sh:targetClass ecograph:Slide ; sh:deactivated true ;
            sh:property [ sh:path ecograph:slideNumber ; sh:minCount 5 ] .
        ex:On a sh:NodeShape ; sh:targetClass ecograph:Slide ;
            sh:property [ sh:path ecograph:slideNumber ; sh:maxCount 0 ; sh:deactivated true ] ,
                        [ sh:path ecograph:document ; sh:minCount 1 ] .""", format="turtle")
    data = Graph().parse(data=PREFIXES + "ex:s a ecograph:Slide ; ecograph:slideNumber 1 .", format="turtle")
    report = _assert_agree(data, shapes)
    assert [r.path for r in report.results] == ["ecograph:document"]


def test_default_messages_are_english_and_japanese():
    shapes = Graph().parse(data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ecograph:Slide ; "
                           "sh:property [ sh:path ecograph:slideNumber ; sh:minCount 2 ] .", format="turtle")
    data = Graph().parse(data=PREFIXES + "ex:s a ecograph:Slide ; ecograph:slideNumber 1 .", format="turtle")
    (result,) = validate.validate_graph(data, shapes, ONTOLOGY, validator="oxigraph").results
    assert "fewer than 2 values" in result.message_en and "2 個より少ない" in result.message_ja


def test_ontology_is_mixed_in_as_pyshacl_does():
    """Only the ontology's RDFS and OWL axioms join the data (class hierarchy, labels), not its other triples."""
    mixed_in = Graph()
    for triple in shacl_store.ontology_axioms(ONTOLOGY):
        mixed_in.add(triple)
    assert isomorphic(mixed_in, inoculate(Graph(), ONTOLOGY))


def _hits(per_focus: bool | None, data: Graph) -> list:
    shapes = Shapes(SHAPES)
    if per_focus is not None:
        for shape in shapes._shapes.values():
            for constraint in shape.sparql:
                constraint.per_focus = per_focus
    hits = shacl.Engine(shacl_store.load_store([data, shacl_store.ontology_axioms(ONTOLOGY)]), shapes).run()
    return sorted((str(h.rule.node), str(h.focus), str(h.value), sorted(str(m) for m in h.messages)) for h in hits
                  if h.component == SH.SPARQLConstraintComponent)


def test_sparql_run_once_equals_run_per_focus_node():
    """A SPARQL constraint run once over the store gives what pre-binding $this per focus node gives, on data
    where nearly every such constraint finds something (all the invalid fixtures together)."""
    data = _parse([p.values[0] for p in _fixtures() if p.values[0].name.startswith("invalid-")]) + SHARED
    once = _hits(None, data)
    assert len({h[0] for h in once}) >= 15
    assert once == _hits(True, data)


@pytest.mark.parametrize(("query", "per_focus"), [
    ("SELECT $this ?value WHERE { $this <urn:p> ?value }", False),
    ("SELECT $this WHERE { ?x <urn:p> $this . FILTER NOT EXISTS { $this <urn:q> ?y } }", False),
    ("SELECT $this ?m WHERE { { SELECT $this (COUNT(?v) AS ?m) WHERE { $this <urn:p> ?v } GROUP BY $this } ?x <urn:q> $this }", False),
    ("SELECT $this WHERE { FILTER NOT EXISTS { $this <urn:p> ?v } }", True),
    ("SELECT $this ?n WHERE { { SELECT (COUNT(?x) AS ?n) WHERE { ?x <urn:p> ?y } } }", True),
    ("SELECT $this WHERE { ?x <urn:p> ?y . OPTIONAL { $this <urn:q> ?x } }", True),
    ("SELECT $this WHERE { $this <urn:p> ?y . { SELECT ?y WHERE { ?y <urn:q> $this } } }", True),
    ("SELECT $this WHERE { $this <urn:p> ?y . MINUS { $this <urn:q> ?y } }", True),
    ("SELECT $this (COUNT(?y) AS ?n) WHERE { $this <urn:p> ?y }", True),
    ("SELECT $this WHERE { BIND ($this AS ?x) $this <urn:p> ?x }", True),
    ('SELECT $this WHERE { ?x <urn:p> "$this" # $this\n FILTER (?x = $this) }', True),
])
def test_when_this_must_be_prebound(query, per_focus):
    assert needs_prebinding(query) is per_focus


@pytest.mark.parametrize(("turtle", "term"), [
    ("ex:S a sh:NodeShape ; sh:targetClass ecograph:Slide ; sh:sparql [ sh:ask \"ASK {}\" ] .", "sh:ask"),
    (("ex:S a sh:NodeShape ; sh:targetClass ecograph:Slide ; sh:property [ sh:path rdfs:label ; "
      "sh:sparql [ sh:select \"SELECT $this WHERE { GRAPH $shapesGraph { $this ?p ?v } }\" ] ] ."), "$shapesGraph"),
    ("ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this WHERE { ?this a ?c }\" ] .", "sh:target"),
    ("ex:S a sh:NodeShape ; sh:targetClass ecograph:Slide ; sh:sparql [ sh:select \"SELECT $this WHERE { $this ?p $currentShape }\" ] .",
     "$currentShape"),
])
def test_unsupported_features_raise(turtle, term):
    """Never skipped silently: a SHACL feature the oxigraph validator does not read is an error that names it."""
    shapes = Graph().parse(data=PREFIXES + turtle, format="turtle")
    with pytest.raises(UnsupportedShapes, match="not supported") as caught:
        validate.validate_graph(Graph(), shapes, ONTOLOGY, validator="oxigraph")
    assert term in str(caught.value)


def test_validator_setting(monkeypatch):
    assert Settings().validator == "auto"
    shapes = Graph().parse(data=PREFIXES + "ex:S a sh:NodeShape ; sh:targetClass ecograph:Slide ; "
                           "sh:property [ sh:path ecograph:slideNumber ; sh:minCount 2 ] .", format="turtle")
    data = Graph().parse(data=PREFIXES + "ex:s a ecograph:Slide .", format="turtle")
    monkeypatch.setenv("ECOGRAPH_VALIDATOR", "pyshacl")
    (result,) = validate.validate_graph(data, shapes, ONTOLOGY).results
    assert result.message_ja == ""  # pyshacl's own default message is English only
    monkeypatch.setenv("ECOGRAPH_VALIDATOR", "auto")
    report = validate.validate_graph(data, shapes, ONTOLOGY)
    assert (report.validator, report.why) == ("oxigraph", "")
    monkeypatch.setenv("ECOGRAPH_VALIDATOR", "nope")
    with pytest.raises(UsageError, match="unknown validator"):
        validate.validate_graph(data, shapes, ONTOLOGY)


def test_auto_hands_unsupported_shapes_to_pyshacl_and_says_why():
    """validator = "auto" never refuses a steward's valid shapes: what the oxigraph engine does not read goes to
    pyshacl, and the report names the engine and the reason."""
    shapes = Graph().parse(data=PREFIXES + """
        ex:S a sh:NodeShape ; sh:property [ sh:path rdfs:label ; sh:maxCount 0 ] ;
            sh:target [ a sh:SPARQLTarget ;
                sh:select "SELECT ?this WHERE { ?this a <https://w3id.org/ecograph/ontology#Slide> }" ] .""", format="turtle")
    data = Graph().parse(data=PREFIXES + "ex:s a ecograph:Slide ; rdfs:label \"x\" . ex:t a ecograph:Slide .", format="turtle")
    with pytest.raises(UnsupportedShapes):
        validate.validate_graph(data, shapes, ONTOLOGY, validator="oxigraph")
    report = validate.validate_graph(data, shapes, ONTOLOGY, validator="auto")
    assert report.validator == "pyshacl" and "sh:target" in report.why
    assert not report.conforms and [r.focus for r in report.results] == ["ex:s"]
    assert "validator: pyshacl (the oxigraph engine does not handle this: " in report.to_text()


def _both(shapes_ttl: str, data_ttl: str) -> list:
    """The results of both engines on the same graphs, as comparable tuples; they must agree."""
    shapes = Graph().parse(data=PREFIXES + shapes_ttl, format="turtle")
    data = Graph().parse(data=PREFIXES + data_ttl, format="turtle")
    found = []
    for engine in ("oxigraph", "pyshacl"):
        report = validate.validate_graph(data, shapes, Graph(), validator=engine)
        found.append(sorted((r.focus, r.path, r.value, tuple(r.components)) for r in report.results))
    assert found[0] == found[1]
    return found[0]


def test_zero_or_more_path_on_a_focus_node_absent_from_the_data():
    """The path's zero-length step reaches the focus node itself, present in the data or not (no false minCount)."""
    assert _both("ex:S a sh:NodeShape ; sh:targetNode ex:absent ; "
                 "sh:property [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:minCount 1 ] .", "ex:x ex:p 1 .") == []


def test_two_forms_of_one_number_are_two_values():
    """pyoxigraph keeps "2"^^xsd:int and 2 as one triple; SHACL counts two values."""
    found = _both("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:maxCount 1 ] .",
                  'ex:a ex:n 2 , "2"^^xsd:int .')
    assert [r[3] for r in found] == [("MaxCount",)]


def test_datatypes_as_written():
    found = _both("ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:c ; "
                  "sh:property [ sh:path ex:n ; sh:datatype xsd:byte ] .",
                  'ex:a ex:n "1"^^xsd:byte . ex:b ex:n "1"^^xsd:int . ex:c ex:n "007"^^xsd:byte .')
    assert [(r[0], r[2]) for r in found] == [("ex:b", '"1"^^xsd:int')]


def test_sequence_path_through_the_class_hierarchy():
    """W3C path-complex-001's path (rdf:type/rdfs:subClassOf*), once refused with a wrong hint."""
    found = _both("ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ; "
                  "sh:property [ sh:path ( rdf:type [ sh:zeroOrMorePath rdfs:subClassOf ] ) ; sh:hasValue ex:Top ] .",
                  "ex:a a ex:Low . ex:Low rdfs:subClassOf ex:Mid . ex:Mid rdfs:subClassOf ex:Top . ex:b a ex:Other .")
    assert [r[0] for r in found] == ["ex:b"]


@pytest.mark.parametrize(("query", "named"), [
    ("SELECT $this WHERE { $this ex:p ?v }", {"https://example.org/p"}),
    ("PREFIX e: <urn:e#> SELECT $this WHERE { $this a e:C ; <urn:q> ?v }", {"urn:e#C", "urn:q", str(RDF.type)}),
    ("SELECT $this WHERE { $this ?p ?v }", None),
    ("SELECT $this WHERE { $this ex:p ?x . ?x ?p ?v }", None),
    ("SELECT $this WHERE { $this !ex:p ?v }", None),
    ("SELECT $this WHERE { $this ex:p ?v ; ?q ?w }", None),
])
def test_predicates_a_sparql_constraint_can_match(query, named):
    found = predicates_of("PREFIX ex: <https://example.org/>\n" + query)
    assert found == named or (named is not None and named <= found)


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT $this ?v WHERE { $this ex:p ?v }", "SELECT (<urn:x> AS ?_bound1) ?v WHERE { <urn:x> ex:p ?v }"),
    ("SELECT $this WHERE { { FILTER (bound($this)) } }", "SELECT (<urn:x> AS ?_bound1) WHERE { { FILTER ((true)) } }"),
    ('SELECT $this WHERE { $this ex:p "$this" }', 'SELECT (<urn:x> AS ?_bound1) WHERE { <urn:x> ex:p "$this" }'),
    ("SELECT $this (COUNT(?v) AS ?n) WHERE { $this ex:p ?v } GROUP BY $this",
     "SELECT (<urn:x> AS ?_bound1) (COUNT(?v) AS ?n) WHERE { <urn:x> ex:p ?v } GROUP BY (<urn:x>)"),
])
def test_prebinding_writes_the_focus_node_into_the_query(query, expected):
    assert prebound_text(query, "<urn:x>") == expected


def test_custom_constraint_components_run_on_the_oxigraph_engine():
    """SHACL-SPARQL §6: an ASK validator per value node, a SELECT validator per focus node, parameters pre-bound."""
    shapes = """
        ex:Prefixed a sh:ConstraintComponent ;
            sh:parameter [ sh:path ex:prefix ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:message "{$value} does not start with {$prefix}"@en ;
                           sh:ask "ASK { FILTER (STRSTARTS(STR($value), $prefix)) }" ] ;
            sh:propertyValidator [ a sh:SPARQLSelectValidator ;
                sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (!STRSTARTS(STR(?value), $prefix)) }" ] .
        ex:Node a sh:NodeShape ; sh:targetNode "ab" , "xb" ; ex:prefix "a" .
        ex:Prop a sh:NodeShape ; sh:targetNode ex:s ; sh:property [ sh:path ex:name ; ex:prefix "a" ] ."""
    found = _both(shapes, 'ex:s ex:name "apple" , "pear" .')
    assert [(r[0], r[2]) for r in found] == [("ex:s", '"pear"^^xsd:string'), ("xb", '"xb"^^xsd:string')]
