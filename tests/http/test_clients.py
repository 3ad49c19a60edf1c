"""The query side judged by its clients (issue 13): a real `ecograph serve` on a loopback port, queried by
SPARQLWrapper (every return format, every request method, with and without setReturnFormat), rdflib's
SPARQLStore and Comunica (Node.js, from npm: scripts/vendor-comunica), each answer checked on its parsed
content against one reference (the rows of a SELECT, the triples of a CONSTRUCT), never on the status alone.

Where SPARQLWrapper itself calls a combination meaningless (it warns "Sending Accept header '*/*' because
unexpected returned format …": CSV for a CONSTRUCT, Turtle for a SELECT, …), the endpoint answers in a format
the query form has (the format parameter names one it cannot have, so the Accept header, */*, decides), and
SPARQLWrapper parses that, warning that it got another format than it asked for. Each such case is in
MEANINGLESS, with what it gets. One server for the module; Comunica runs with a guard that lets it open
connections to the loopback interface only."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
import rdflib
from rdflib.compare import isomorphic

from ecograph.settings import PROJECT_ROOT
from tests.helpers.paths import COMUNICA
from tests.helpers.servers import running_server

PROGRAM_13 = rdflib.URIRef("https://w3id.org/ecograph/id/program/13")
SUPPORT_PROGRAM = rdflib.URIRef("https://w3id.org/ecograph/ontology#SupportProgram")
ENGLISH_NAME = "Drug-Discovery Venture Ecosystem Strengthening Program"
QUERIES = {
    "SELECT": "SELECT ?number ?name WHERE { program:13 ecograph:programNumber ?number ; rdfs:label ?name } ORDER BY ?name",
    "ASK": "ASK { program:13 a ecograph:SupportProgram }",
    "CONSTRUCT": "CONSTRUCT { program:13 ?p ?o } WHERE { program:13 ?p ?o }",
    "DESCRIBE": "DESCRIBE program:13",
}
FORMATS = ["default", "json", "xml", "csv", "tsv", "n3", "turtle", "rdf", "rdf+xml", "json-ld"]  # SPARQLWrapper's names
WAYS = ["GET", "POST", "POSTDIRECTLY", "GET, onlyConneg"]  # onlyConneg: no format parameters, the Accept header alone
RESULTS_XML, RESULTS_JSON = "application/sparql-results+xml", "application/sparql-results+json"
# What each meaningful combination gets: the media type SPARQLWrapper's Accept header and format parameters ask for.
MEANINGFUL = {
    "results": {"default": RESULTS_XML, "xml": RESULTS_XML, "json": RESULTS_JSON, "csv": "text/csv", "tsv": "text/tab-separated-values"},
    "graph": {"default": "application/rdf+xml", "xml": "application/rdf+xml", "rdf+xml": "application/rdf+xml",
              "turtle": "text/turtle", "n3": "text/turtle", "json-ld": "application/ld+json"},
}
# The combinations SPARQLWrapper sends with Accept: */* (and a warning), and what the endpoint answers:
# - a graph format for a SELECT or an ASK: SPARQL JSON results, the form's first format;
# - CSV or TSV for a CONSTRUCT or a DESCRIBE: Turtle, the form's first format;
# - JSON for a graph: JSON-LD, as format=json names it on a graph query (Fuseki reads it so too; SPARQLWrapper
#   takes JSON-LD as the answer to JSON without a warning); with onlyConneg only */* is left: Turtle;
# - RDF ("rdf", SPARQLWrapper's Accept header has nothing for it): RDF/XML by format=rdf; with onlyConneg, Turtle.
MEANINGLESS = {
    "results": {f: (RESULTS_JSON, RESULTS_JSON) for f in ("n3", "turtle", "rdf", "rdf+xml", "json-ld")},
    "graph": {"csv": ("text/turtle", "text/turtle"), "tsv": ("text/turtle", "text/turtle"),
              "json": ("application/ld+json", "text/turtle"), "rdf": ("application/rdf+xml", "text/turtle")},
}
REQUESTED = {"default": "XML", "json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV", "n3": "N3", "turtle": "TURTLE",
             "rdf": "RDF", "rdf+xml": "RDF+XML", "json-ld": "JSON-LD"}
# The media types SPARQLWrapper's converter takes as the format asked for (others: "Format requested was …").
TAKEN_AS = {"json": {RESULTS_JSON, "application/ld+json"}, "xml": {RESULTS_XML, "application/rdf+xml"},
            "default": {RESULTS_XML, "application/rdf+xml"},
            "rdf": {"application/rdf+xml"}, "rdf+xml": {"application/rdf+xml"}, "n3": {"text/turtle"}, "turtle": {"text/turtle"},
            "csv": {"text/csv"}, "tsv": {"text/tab-separated-values"}, "json-ld": {"application/ld+json"}}
COMUNICA_BIN = PROJECT_ROOT / ".comunica" / "node_modules" / "@comunica" / "query-sparql" / "bin" / "query.js"
LOOPBACK_ONLY = COMUNICA / "loopback-only.cjs"


def _kind(form: str) -> str:
    return "results" if form in ("SELECT", "ASK") else "graph"


def _expected(form: str, fmt: str, way: str) -> tuple[str, bool]:
    """(the media type of the answer, whether SPARQLWrapper calls the combination meaningless)."""
    kind = _kind(form)
    if fmt in MEANINGFUL[kind]:
        return MEANINGFUL[kind][fmt], False
    with_params, conneg_only = MEANINGLESS[kind][fmt]
    return (conneg_only if way.endswith("onlyConneg") else with_params), True


def _http(url: str, accept: str) -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as r:
        return r.read()


@pytest.fixture(scope="module")
def server(built_root):
    with running_server(built_root) as (base, _):
        yield base


@pytest.fixture(scope="module")
def reference(server):
    """The answers as plain HTTP gets them (SPARQL JSON, N-Triples), with the facts they must hold."""
    def ask(form, accept):
        return _http(f"{server}/sparql?{urllib.parse.urlencode({'query': QUERIES[form]})}", accept)

    bindings = json.loads(ask("SELECT", RESULTS_JSON))["results"]["bindings"]
    rows = {(b["number"]["value"], b["name"]["value"]) for b in bindings}
    graphs = {form: rdflib.Graph().parse(data=ask(form, "application/n-triples").decode(), format="nt") for form in ("CONSTRUCT", "DESCRIBE")}
    assert len(rows) == 2 and ("13", ENGLISH_NAME) in rows
    assert json.loads(ask("ASK", RESULTS_JSON))["boolean"] is True
    for graph in graphs.values():
        assert (PROGRAM_13, rdflib.RDF.type, SUPPORT_PROGRAM) in graph and len(graph) > 10
    return {"rows": rows, **graphs}


# ------------------------------------------------------------------ reading each kind of answer

def _rows_from_tsv(text: str) -> set:
    def lexical(term: str) -> str:
        match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@[\w-]+|\^\^<[^>]*>)?', term)
        return match.group(1).replace('\\"', '"').replace("\\\\", "\\") if match else term
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "?number\t?name"
    return {tuple(lexical(cell) for cell in line.split("\t")) for line in lines[1:]}


def _answer(form: str, converted, media: str):
    """The answer in one shape whatever the format: rows (a set of lexical forms), a boolean, or a graph."""
    if form == "ASK":
        if media == RESULTS_JSON:
            return converted["boolean"]
        if media == RESULTS_XML:
            return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
        lines = converted.decode().split()
        assert lines[0] in ("boolean", "?boolean")
        return lines[1] == "true"
    if form == "SELECT":
        if media == RESULTS_JSON:
            return {(b["number"]["value"], b["name"]["value"]) for b in converted["results"]["bindings"]}
        if media == RESULTS_XML:
            return {tuple(next(b for b in r.getElementsByTagName("binding") if b.getAttribute("name") == name)
                          .getElementsByTagName("literal")[0].firstChild.data for name in ("number", "name"))
                    for r in converted.getElementsByTagName("result")}
        if media == "text/csv":
            rows = list(csv.reader(io.StringIO(converted.decode())))
            assert rows[0] == ["number", "name"]
            return {tuple(r) for r in rows[1:]}
        return _rows_from_tsv(converted.decode())
    if isinstance(converted, bytes):  # Turtle: SPARQLWrapper hands over the text
        return rdflib.Graph().parse(data=converted.decode(), format="turtle")
    graph = rdflib.Graph()  # RDF/XML and JSON-LD: SPARQLWrapper parses them into an rdflib ConjunctiveGraph
    for triple in converted.triples((None, None, None)):
        graph.add(triple)
    return graph


def _same(form: str, got, reference) -> None:
    if form == "ASK":
        assert got is True
    elif form == "SELECT":
        assert got == reference["rows"]
    else:
        assert isomorphic(got, reference[form]), f"{len(got)} triples, {len(reference[form])} expected"


# ------------------------------------------------------------------ SPARQLWrapper: the whole matrix

@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", list(QUERIES))
def test_sparqlwrapper(server, reference, form, fmt, way):
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(server + "/sparql")
    client.setQuery(QUERIES[form])
    if fmt != "default":
        client.setReturnFormat(fmt)
    if way != "GET" and not way.startswith("GET,"):
        client.setMethod(sw.POST)
        client.setRequestMethod(sw.POSTDIRECTLY if way == "POSTDIRECTLY" else sw.URLENCODED)
    client.setOnlyConneg(way.endswith("onlyConneg"))
    media, meaningless = _expected(form, fmt, way)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = client.query()
        assert result.info()["content-type"] == f"{media}; charset=utf-8"
        converted = result.convert()
    _same(form, _answer(form, converted, media), reference)
    said = {str(w.message) for w in caught if "ConjunctiveGraph is deprecated" not in str(w.message)}  # rdflib, inside SPARQLWrapper
    expected = set()
    if meaningless:
        expected.add(f"Sending Accept header '*/*' because unexpected returned format '{fmt}' in a '{form}' SPARQL query form")
    if media not in TAKEN_AS[fmt]:
        expected.add(next(m for m in said if m.startswith(f"Format requested was {REQUESTED[fmt]}, but ")))
    assert said == expected


def test_sparqlwrapper_reads_a_syntax_error_as_the_endpoint_wrote_it(server):
    import SPARQLWrapper as sw
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = sw.SPARQLWrapper(server + "/sparql")
    client.setQuery("SELECT * WHERE {\n  ?s zzq:name ?o }")
    client.setReturnFormat(sw.JSON)
    with pytest.raises(QueryBadFormed) as caught:
        client.query()
    said = str(caught.value)  # what the researcher reads: SPARQLWrapper's message with the endpoint's answer
    assert '"error":"SPARQL syntax error at line 2, column 6: unknown prefix zzq: (in zzq:name)"' in said
    assert '"line":2' in said and "ecograph:, ecosh:" in said


# ------------------------------------------------------------------ rdflib's SPARQLStore

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore(server, reference, method, return_format):
    """SPARQLStore asks with Accept from its returnFormat alone: "xml" (its default) also takes RDF/XML, so every
    form works; with "json", "csv" or "tsv" it accepts result formats only, and so only SELECT (and, in JSON,
    ASK: rdflib reads no boolean from CSV or TSV, which define none) can be answered."""
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(server + "/sparql", returnFormat=return_format, method=method))
    rows = {(str(number), str(name)) for number, name in graph.query(QUERIES["SELECT"])}
    assert rows == reference["rows"]
    assert len(graph) > 10_000  # SELECT (COUNT(*) …), rdflib's own query
    if return_format in ("xml", "json"):
        assert graph.query(QUERIES["ASK"]).askAnswer is True
    if return_format == "xml":
        for form in ("CONSTRUCT", "DESCRIBE"):
            assert isomorphic(graph.query(QUERIES[form]).graph, reference[form])
        assert len(list(graph.triples((PROGRAM_13, None, None)))) == len(reference["CONSTRUCT"])


def test_rdflib_sparqlstore_asking_a_graph_in_a_results_format_gets_a_406_that_says_what_to_ask(server):
    """SPARQLStore(returnFormat="json") sends a CONSTRUCT with Accept: application/sparql-results+json: no graph
    syntax fits, and HTTP's answer is 406 (rdflib then raises or hands back the status). The body says why."""
    request = urllib.request.Request(f"{server}/sparql?{urllib.parse.urlencode({'query': QUERIES['CONSTRUCT']})}",
                                     headers={"Accept": "application/sparql-results+json"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 406
    assert "is available for a CONSTRUCT query" in json.loads(caught.value.read())["error"]


# ------------------------------------------------------------------ Comunica

COMUNICA_PREFIXES = ("PREFIX ecograph: <https://w3id.org/ecograph/ontology#> PREFIX program: <https://w3id.org/ecograph/id/program/> "
                     "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")  # Comunica reads the query itself: declared


@pytest.fixture(scope="module")
def comunica():
    """The command line a user runs (comunica-sparql), under node with the loopback-only guard."""
    node = shutil.which("node")
    if node is None or not COMUNICA_BIN.is_file():
        message = "Comunica is not installed: run scripts/vendor-comunica (scripts/test does; it needs Node.js and npm)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [node, "--require", str(LOOPBACK_ONLY), str(COMUNICA_BIN)]


def _run_comunica(command: list[str], server: str, query: str, media: str | None = None) -> str:
    args = [*command, f"sparql@{server}/sparql", *(["-t", media] if media else []), COMUNICA_PREFIXES + query]
    done = subprocess.run(args, check=False, capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT / ".comunica")
    assert "loopback-only" not in done.stderr, done.stderr  # it tried to reach another host
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_comunica_select_ask_construct_describe(server, reference, comunica):
    jobs = {"SELECT": (QUERIES["SELECT"], RESULTS_JSON), "ASK": (QUERIES["ASK"], None),
            "CONSTRUCT": (QUERIES["CONSTRUCT"], "application/n-triples"), "DESCRIBE": (QUERIES["DESCRIBE"], "application/n-triples"),
            "COUNT": ("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p ecograph:programNumber ?x }", RESULTS_JSON)}
    with ThreadPoolExecutor(len(jobs)) as pool:  # each run starts a Node.js process (about 2 s): side by side
        out = dict(zip(jobs, pool.map(lambda job: _run_comunica(comunica, server, *job), jobs.values())))
    bindings = json.loads(out["SELECT"])["results"]["bindings"]
    assert {(b["number"]["value"], b["name"]["value"]) for b in bindings} == reference["rows"]
    assert out["ASK"].strip() == "true"
    for form in ("CONSTRUCT", "DESCRIBE"):
        assert isomorphic(rdflib.Graph().parse(data=out[form], format="nt"), reference[form])
    assert json.loads(out["COUNT"])["results"]["bindings"][0]["n"]["value"] == "35"


def test_comunica_guard_refuses_any_other_host(comunica):
    """The guard is live: a source on another host (TEST-NET-1, never routed) ends Comunica before it connects."""
    done = subprocess.run([*comunica, "sparql@http://192.0.2.1/sparql", "ASK { ?s ?p ?o }"], check=False, capture_output=True,
                          text=True, timeout=60, cwd=PROJECT_ROOT / ".comunica")
    assert done.returncode == 97 and "loopback-only: refused a connection to 192.0.2.1" in done.stderr


# ------------------------------------------------------------------ CORS preflight, as a browser sends it

@pytest.mark.parametrize("path,method,headers,allowed", [
    ("/sparql", "POST", "content-type", {"GET", "POST", "OPTIONS"}),
    ("/sparql", "GET", "accept", {"GET", "POST", "OPTIONS"}),
    ("/queries/programs", "GET", "accept", {"GET", "OPTIONS"}),
    ("/validate", "POST", "content-type", {"POST", "OPTIONS"}),
])
def test_cors_preflight(server, path, method, headers, allowed):
    request = urllib.request.Request(server + path, method="OPTIONS", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 200
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert allowed <= {m.strip() for m in r.headers["Access-Control-Allow-Methods"].split(",")}
        assert {"content-type", "accept"} <= {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
