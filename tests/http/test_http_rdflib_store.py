"""The rdflib fallback store behind the same endpoint: settings.store = "rdflib" makes the query workers load
the release's dataset.nq into memory and answer with rdflib's SPARQL engine. The protocol behaves as with
pyoxigraph, and SELECT answers are the same rows (compared unordered, numbers as numbers: the engines write
some decimals differently, 333 and 333.0)."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import replace
from decimal import Decimal, InvalidOperation

import pytest
import rdflib

from ecograph.engine.serving import serve_release
from ecograph.errors import UsageError
from ecograph.http import create_app
from tests.helpers.servers import running_server

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger")}
COUNT_PROGRAMS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p ecograph:programNumber ?x }"
STATED = "https://w3id.org/ecograph/graph/stated"
AMOUNTS = ("SELECT ?kind (COUNT(?a) AS ?n) (SUM(?v) / 100000000 AS ?oku_yen) "
           "WHERE { ?a ecograph:amountKind ?kind ; schema:value ?v } GROUP BY ?kind")
ROUNDS = ("SELECT ?round ?adopted WHERE { ?o ecograph:call ?c ; ecograph:adopted ?adopted . "
          "?c dcterms:isPartOf program:10 ; ecograph:callNumber ?round ; a ecograph:Call }")


@pytest.fixture(scope="module")
def rdflib_app(built_settings):
    app = create_app(replace(built_settings, store="rdflib"))
    yield app
    app.extensions["ecograph"].close()


@pytest.fixture(scope="module")
def rdf(rdflib_app):
    """A client of the rdflib-backed app (`client`, from conftest, is the pyoxigraph-backed one)."""
    return rdflib_app.test_client()


def _n(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"][0]["n"]["value"]


def _value(term: dict):
    if term.get("datatype") in NUMERIC:
        return ("number", Decimal(term["value"]))
    return (term["type"], term["value"], term.get("datatype"), term.get("xml:lang"))


def _solutions(response) -> Counter:
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    return Counter(frozenset((v, _value(t)) for v, t in b.items()) for b in body["results"]["bindings"])


def _cell(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _csv_rows(response) -> tuple[list[str], Counter]:
    assert response.status_code == 200, response.get_data(as_text=True)
    header, *rows = csv.reader(io.StringIO(response.get_data(as_text=True)))
    return header, Counter(tuple(_cell(c) for c in row) for row in rows)


def test_the_rdflib_store_serves_without_an_oxigraph_store(rdflib_app):
    served = rdflib_app.extensions["ecograph"].served
    assert served.store is None and [source.path.name for source in served.files] == ["dataset.nq"]
    assert STATED in served.graphs
    assert rdflib_app.extensions["ecograph"].pool.engine == "rdflib"


def test_select_json_and_csv(rdf):
    assert _n(rdf.get("/sparql", query_string={"query": COUNT_PROGRAMS})) == "35"
    q = {"query": "SELECT ?n ?name WHERE { program:13 ecograph:programNumber ?n ; rdfs:label ?name } ORDER BY ?name"}
    r = rdf.get("/sparql", query_string=q, headers={"Accept": "text/csv"})
    assert r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["n", "name"] and [row[0] for row in rows[1:]] == ["13", "13"]
    assert "Drug-Discovery Venture Ecosystem Strengthening Program" in {row[1] for row in rows}


def test_plain_literals_serialise_as_on_oxigraph(rdf, client):
    """A plain literal (xsd:string) has no datatype in any format, on either engine (pyoxigraph writes the oxigraph
    store's answers, results.py the rdflib store's: the same solutions, not the same bytes)."""
    import pyoxigraph as ox

    q = {"query": 'SELECT ?s WHERE { BIND("text" AS ?s) }'}
    for media, fmt in (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                       ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                       ("text/tab-separated-values", ox.QueryResultsFormat.TSV)):
        bodies = [c.get("/sparql", query_string=q, headers={"Accept": media}).get_data() for c in (rdf, client)]
        assert all(b"datatype" not in body and b"XMLSchema" not in body for body in bodies), media
        assert [[s["s"] for s in ox.parse_query_results(body, format=fmt)] for body in bodies] == [[ox.Literal("text")]] * 2


def test_ask(rdf):
    assert rdf.get("/sparql", query_string={"query": "ASK { program:13 a ecograph:SupportProgram }"}).get_json() == \
        {"head": {}, "boolean": True}
    assert rdf.get("/sparql", query_string={"query": "ASK { program:13 a ecograph:Nothing }"}).get_json()["boolean"] is False


def test_construct_turtle(rdf):
    r = rdf.get("/sparql", query_string={"query": "CONSTRUCT { program:13 ?p ?o } WHERE { program:13 ?p ?o }"},
                headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
    assert (rdflib.URIRef("https://w3id.org/ecograph/id/program/13"), rdflib.RDF.type,
            rdflib.URIRef("https://w3id.org/ecograph/ontology#SupportProgram")) in g


def test_layers_stated_and_all(rdf):
    q = "SELECT (COUNT(*) AS ?n) WHERE { program:2 ecograph:phase ?phase }"
    assert _n(rdf.get("/sparql", query_string={"query": q, "layer": "stated"})) == "0"
    assert _n(rdf.get("/sparql", query_string={"query": q, "layer": "interpreted"})) == "1"
    assert _n(rdf.get("/sparql", query_string={"query": q, "layer": "all"})) == "1"
    q2 = "ASK { program:2 a frapo:FundingProgramme }"
    assert rdf.get("/sparql", query_string={"query": q2, "layer": "stated"}).get_json()["boolean"] is False
    assert rdf.get("/sparql", query_string={"query": q2, "layer": "inferred"}).get_json()["boolean"] is True


def test_default_and_named_graph_uri(rdf):
    q = "SELECT (COUNT(*) AS ?n) WHERE { program:2 ecograph:phase ?phase }"
    assert _n(rdf.get("/sparql", query_string={"query": q, "default-graph-uri": STATED})) == "0"
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { program:2 ecograph:phase ?phase } }"
    assert _n(rdf.get("/sparql", query_string={"query": in_graphs})) == "1"
    assert _n(rdf.get("/sparql", query_string={"query": in_graphs, "named-graph-uri": STATED})) == "0"
    # named graphs only: the default graph is empty
    assert _n(rdf.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "named-graph-uri": STATED})) == "0"
    r = rdf.get("/sparql", query_string={"query": q, "default-graph-uri": "http://127.0.0.1:9/remote"})
    assert r.status_code == 400 and "never fetches remote graphs" in r.get_json()["error"]


def test_syntax_error_is_a_400_with_line_and_column(rdf):
    r = rdf.get("/sparql", query_string={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.get_json()["error"] == "SPARQL syntax error at line 2, column 15: unexpected '}'" and r.get_json()["hint"]


def test_timeout_stops_the_query_and_the_server_goes_on(rdf):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = rdf.get("/sparql", query_string={"query": heavy, "timeout": "0.5"})
    assert r.status_code == 503 and "time limit" in r.get_json()["error"]
    assert _n(rdf.get("/sparql", query_string={"query": COUNT_PROGRAMS})) == "35"


def test_row_cap_is_signalled(built_settings):
    app = create_app(replace(built_settings, store="rdflib", max_rows=5, workers=1))
    try:
        client = app.test_client()
        r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s a ecograph:SupportProgram }"})
        assert r.headers["X-Ecograph-Truncated"] == "true; max-rows=5"
        body = r.get_json()
        assert len(body["results"]["bindings"]) == 5 and body["head"]["link"][0].endswith("max-rows=5")
        r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
        assert r.get_data().startswith(b"# ecograph: truncated at 5 triples")
        assert client.get("/sparql", query_string={"query": "ASK {}"}).headers["X-Ecograph-Truncated"] == "false"
    finally:
        app.extensions["ecograph"].close()


@pytest.mark.parametrize("query,params", [
    ("SELECT ?p ?n ?name WHERE { ?p ecograph:programNumber ?n ; rdfs:label ?name }", {}),
    ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {}),
    (AMOUNTS, {}),
    ("SELECT ?p ?phase WHERE { ?p a ecograph:SupportProgram OPTIONAL { ?p ecograph:phase ?phase } }", {"layer": "stated"}),
    ("SELECT ?p ?phase WHERE { ?p a ecograph:SupportProgram OPTIONAL { ?p ecograph:phase ?phase } }", {"layer": "interpreted"}),
    (ROUNDS, {"default-graph-uri": STATED}),
    ("SELECT ?s ?label WHERE { GRAPH ?g { ?s a owl:Class ; rdfs:label ?label } FILTER (LANG(?label) = 'ja') }",
     {"named-graph-uri": "https://w3id.org/ecograph/graph/ontology"}),
])
def test_select_answers_equal_the_oxigraph_ones(rdf, client, query, params):
    expected = _solutions(client.get("/sparql", query_string={"query": query, **params}))
    assert expected, "a comparison needs rows"
    assert _solutions(rdf.get("/sparql", query_string={"query": query, **params})) == expected


def test_named_query_csv_equals_the_oxigraph_one(rdf, client):
    ox_header, ox_rows = _csv_rows(client.get("/queries/cicle-rounds", query_string={"format": "csv"}))
    header, rows = _csv_rows(rdf.get("/queries/cicle-rounds", query_string={"format": "csv"}))
    assert header == ox_header and rows == ox_rows and sum(rows.values()) == 7  # rounds 1–7


def test_graph_store_and_linked_data_pages(rdf):
    r = rdf.get("/rdf-graph-store", query_string={"graph": STATED}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and b"program/13" in r.get_data()
    assert rdf.get("/rdf-graph-store?default", headers={"Accept": "application/n-triples"}).get_data() == b""
    page = rdf.get("/doc/id/program/13", query_string={"lang": "en"})
    assert page.status_code == 200 and "Drug-Discovery Venture Ecosystem Strengthening Program" in page.get_data(as_text=True)


def test_serve_data_keeps_named_graphs(built_settings, tmp_path):
    trig = tmp_path / "two.trig"
    trig.write_text("<urn:a> <urn:p> 1 .\n<urn:g1> { <urn:a> <urn:p> 2 }\n<urn:g2> { <urn:b> <urn:p> 'x'@en }\n", encoding="utf-8")
    app = create_app(replace(built_settings, store="rdflib", workers=1), data_files=[trig])
    try:
        client = app.test_client()
        assert app.extensions["ecograph"].served.graphs == ["urn:g1", "urn:g2"]
        q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        rows = client.get("/sparql", query_string={"query": q}).get_json()["results"]["bindings"]
        assert [(b["g"]["value"], b["n"]["value"]) for b in rows] == [("urn:g1", "1"), ("urn:g2", "1")]
        assert _n(client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})) == "3"
        assert _n(client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                                      "default-graph-uri": "urn:g2"})) == "1"
    finally:
        app.extensions["ecograph"].close()


def test_an_unknown_store_is_a_usage_error(built_settings):
    with pytest.raises(UsageError, match="unknown store"):
        serve_release(replace(built_settings, store="nope"))


def test_serve_store_rdflib_command(built_root, tmp_path):
    log_path = tmp_path / "server.log"
    with running_server(built_root, env={"ECOGRAPH_STORE": "rdflib"}, log=log_path) as (base, _):
        url = base + "/sparql?" + urllib.parse.urlencode({"query": COUNT_PROGRAMS})
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"}), timeout=30) as r:
            assert json.load(r)["results"]["bindings"][0]["n"]["value"] == "35"
        assert "rdflib store" in log_path.read_text(errors="replace")
