"""The SPARQL 1.1 Protocol at /sparql, through Flask's test client with real query workers."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from werkzeug.datastructures import MultiDict

from ecograph.http import create_app

COUNT_PROGRAMS = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p ecograph:programNumber ?x }"


def _n(response) -> str:
    return response.get_json()["results"]["bindings"][0]["n"]["value"]


def test_get_post_form_and_post_direct_agree(client):
    got = [
        client.get("/sparql", query_string={"query": COUNT_PROGRAMS}),
        client.post("/sparql", data={"query": COUNT_PROGRAMS}),
        client.post("/sparql", data=COUNT_PROGRAMS.encode(), content_type="application/sparql-query"),
    ]
    for response in got:
        assert response.status_code == 200
        assert response.mimetype == "application/sparql-results+json"
        assert _n(response) == "35"  # 35 numbered program resources (⑦, ㉖ and ㉛ carry two each)
    assert len({r.get_data() for r in got}) == 1


def test_select_formats(client):
    q = {"query": "SELECT ?n ?name WHERE { program:13 ecograph:programNumber ?n ; rdfs:label ?name } ORDER BY ?name"}
    xml = client.get("/sparql", query_string=q, headers={"Accept": "application/sparql-results+xml"})
    assert xml.mimetype == "application/sparql-results+xml"
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert len(ET.fromstring(xml.get_data()).findall(".//s:result", ns)) == 2
    csv_ = client.get("/sparql", query_string=q, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(csv_.get_data(as_text=True))))
    assert rows[0] == ["n", "name"] and rows[1][0] == "13"
    tsv = client.get("/sparql", query_string=q, headers={"Accept": "text/tab-separated-values"})
    lines = tsv.get_data(as_text=True).splitlines()
    assert lines[0] == "?n\t?name" and '"Drug-Discovery Venture Ecosystem Strengthening Program"@en' in lines[1]


def test_ask(client):
    r = client.get("/sparql", query_string={"query": "ASK { program:13 a ecograph:SupportProgram }"})
    assert r.get_json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("media,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                       ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_construct_formats(client, media, fmt):
    q = {"query": "CONSTRUCT { program:13 ?p ?o } WHERE { program:13 ?p ?o }"}
    r = client.get("/sparql", query_string=q, headers={"Accept": media})
    assert r.status_code == 200 and r.mimetype == media
    if fmt == "json-ld":  # rdflib's JSON-LD parser warns about its own deprecated API; read it with pyoxigraph
        import pyoxigraph as ox

        subjects = {t.subject.value for t in ox.parse(r.get_data(), format=ox.RdfFormat.JSON_LD)}
        assert subjects == {"https://w3id.org/ecograph/id/program/13"}
        return
    g = rdflib.Graph().parse(data=r.get_data(as_text=True), format=fmt)
    assert (rdflib.URIRef("https://w3id.org/ecograph/id/program/13"), rdflib.RDF.type,
            rdflib.URIRef("https://w3id.org/ecograph/ontology#SupportProgram")) in g


def test_describe_as_nquads_and_trig(client):
    for media in ("application/n-quads", "application/trig"):
        r = client.get("/sparql", query_string={"query": "DESCRIBE program:13"}, headers={"Accept": media})
        assert r.status_code == 200 and r.mimetype == media
        quads = ox.parse(r.get_data(), format=ox.RdfFormat.N_QUADS if media == "application/n-quads" else ox.RdfFormat.TRIG)
        assert ox.Quad(ox.NamedNode("https://w3id.org/ecograph/id/program/13"), ox.NamedNode(str(rdflib.RDF.type)),
                       ox.NamedNode("https://w3id.org/ecograph/ontology#SupportProgram")) in set(quads)


def test_conneg_q_values_and_format_parameter(client):
    q = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}
    r = client.get("/sparql", query_string=q, headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"})
    assert r.mimetype == "application/sparql-results+xml"
    r = client.get("/sparql", query_string={**q, "format": "tsv"}, headers={"Accept": "application/json"})
    assert r.mimetype == "text/tab-separated-values"
    assert r.headers["Vary"] == "Accept"


@pytest.mark.parametrize("form,query", [("SELECT", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
                                        ("CONSTRUCT", "CONSTRUCT WHERE { program:13 a ?c }")])
def test_format_under_three_names_and_repeated_as_sparqlwrapper_sends_it(client, form, query):
    """SPARQLWrapper sends format=, output= and results=, and for TSV, RDF/XML and JSON-LD each twice: its
    short name, then its Accept header (empty when that is */*). Values that agree are one format."""
    cases = {"SELECT": [("tsv", "text/tab-separated-values", "text/tab-separated-values"), ("JSON", "json", "application/sparql-results+json"),
                        ("xml", "", "application/sparql-results+xml")],
             "CONSTRUCT": [("rdf+xml", "application/rdf+xml", "application/rdf+xml"), ("xml", "", "application/rdf+xml"),
                           ("json-ld", "application/ld+json,application/x-json+ld", "application/ld+json"),
                           ("n3", "", "text/turtle"), ("json", "", "application/ld+json")]}[form]
    for short, media, expected in cases:
        pairs = [("query", query)] + [(name, value) for name in ("format", "output", "results") for value in (short, media)]
        for r in (client.get("/sparql", query_string=pairs), client.post("/sparql", data=MultiDict(pairs))):
            assert r.status_code == 200, (short, media, r.get_data())
            assert r.mimetype == expected


def test_formats_that_disagree_are_refused_naming_both(client):
    pairs = [("query", "ASK {}"), ("format", "json"), ("output", "csv")]
    r = client.get("/sparql", query_string=pairs)
    assert r.status_code == 400 and r.get_json()["error"] == "two different formats asked for: 'json' and 'csv'"
    r = client.get("/sparql", query_string=[("query", "ASK {}"), ("format", "json"), ("format", "text/csv")])
    assert r.status_code == 400 and "'json' and 'text/csv'" in r.get_json()["error"]


def test_a_format_the_form_cannot_have_leaves_it_to_accept(client):
    """CSV for a CONSTRUCT is meaningless (SPARQLWrapper then sends Accept: */*): the Accept header decides; with
    no Accept header, or one that allows nothing of the form's, it is a 406 that lists the form's formats."""
    q = {"query": "CONSTRUCT WHERE { program:13 a ?c }", "format": "csv"}
    assert client.get("/sparql", query_string=q, headers={"Accept": "*/*"}).mimetype == "text/turtle"
    r = client.get("/sparql", query_string=q)
    assert r.status_code == 406 and "ttl" in r.get_json()["hint"]
    r = client.get("/sparql", query_string={**q, "format": "nonsense"}, headers={"Accept": "*/*"})
    assert r.status_code == 406 and "format 'nonsense'" in r.get_json()["error"]


@pytest.mark.parametrize("media,accept", [
    ("application/sparql-results+json", "application/sparql-results+json,application/json,text/javascript,application/javascript"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_sparqlwrapper_accept_headers_for_results(client, media, accept):
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.mimetype == media


@pytest.mark.parametrize("media,accept", [
    ("text/turtle", "application/turtle,text/turtle"),
    ("text/turtle", "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json,application/x-json+ld"),
    ("application/rdf+xml", "application/sparql-results+xml, application/rdf+xml"),  # rdflib's SPARQLStore
])
def test_sparqlwrapper_accept_headers_for_graphs(client, media, accept):
    r = client.get("/sparql", query_string={"query": "DESCRIBE program:13"}, headers={"Accept": accept})
    assert r.mimetype == media and (b"program/13" in r.get_data() or b"program:13" in r.get_data())  # Turtle: with prefixes


def test_406_when_nothing_fits(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.get_json()["ok"] is False
    r = client.get("/sparql", query_string={"query": "ASK {}", "format": "ttl"})
    assert r.status_code == 406


def test_syntax_error_names_the_token_at_its_line_and_column(client):
    r = client.get("/sparql", query_string={"query": "SELECT *\nWHERE { ?s ?p }"})
    assert r.status_code == 400
    body = r.get_json()
    assert body["error"] == "SPARQL syntax error at line 2, column 15: unexpected '}'"  # the object is missing
    assert (body["line"], body["column"]) == (2, 15) and body["hint"]


@pytest.mark.parametrize("query,error", [
    ("ASK { ?s ?p ?o . FILTER(?o > ) } LIMIT 10", "line 1, column 30: unexpected ')'"),  # not 1:42, where pyoxigraph stopped reading
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY DESC ?s", "line 1, column 44: unexpected '?s'"),
    ("SELECT * WHERE { ?s ?p ?o } LIMT 10", "line 1, column 29: unexpected 'LIMT'"),
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(\n}", "line 4, column 1: unexpected '}'"),
    ('SELECT * WHERE { ?s ?p "日本 }', "line 1, column 29: the query ends before it is complete"),
    ("# a comment\nSELECT * # another\nWHERE { ?s ?p ?o.?s ?q } # end", "line 3, column 24: unexpected '}'"),
    ("SELECT ?x WHERE { ?s ?p ?o } GROUP BY ?s", "line 1, column 41: the SELECT contains a variable that is unbound"),
])
def test_syntax_errors_are_short_and_point_at_the_place(client, query, error):
    body = client.get("/sparql", query_string={"query": query}).get_json()
    assert body["error"] == f"SPARQL syntax error at {error}"
    assert "expected one of" not in body["error"] + body["hint"] and len(body["error"]) < 120


def test_unknown_prefix_is_named_with_the_known_ones(client):
    body = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s zzq:name ?o }"}).get_json()
    assert body["error"] == "SPARQL syntax error at line 2, column 6: unknown prefix zzq: (in zzq:name)"
    assert "ecograph:, ecosh:, id:, program:" in body["hint"] and "PREFIX zzq: <…>" in body["hint"]
    typo = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ecogrpah:label ?o }"}).get_json()
    assert "unknown prefix ecogrpah:" in typo["error"] and typo["hint"].startswith("Did you mean ecograph:?")
    declared = client.get("/sparql", query_string={"query": "PREFIX zzq: <urn:z:> ASK { ?s zzq:name ?o }"})
    assert declared.status_code == 200


@pytest.mark.parametrize("kwargs,needle", [
    ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, "2 'query' parameters"),
    ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, "unsupported Content-Type"),
    ({"method": "POST", "data": {}}, "no query"),
    ({"method": "POST", "data": b"ASK {}", "content_type": "application/sparql-query", "query_string": {"query": "ASK {}"}},
     "a query in both the URL and the body"),
])
def test_protocol_negative_cases(client, kwargs, needle):
    r = client.open("/sparql", **kwargs)
    assert r.status_code == 400
    assert needle in r.get_json()["error"]


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }", "LOAD <http://127.0.0.1:9/x>", "CLEAR ALL", "DROP GRAPH <https://w3id.org/ecograph/graph/stated>",
    "CREATE GRAPH <urn:g>", "COPY DEFAULT TO <urn:g>", "MOVE DEFAULT TO <urn:g>", "ADD DEFAULT TO <urn:g>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_every_update_form_is_refused_and_nothing_changes(client, update):
    before = _n(client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}))
    for r in (client.post("/sparql", data={"update": update}),
              client.post("/sparql", data=update.encode(), content_type="application/sparql-update"),
              client.post("/sparql", data={"query": update})):
        assert r.status_code == 403, r.get_data()
        assert "read-only" in r.get_json()["error"]
    after = _n(client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}))
    assert before == after


def test_layers_stated_interpreted_inferred(client):
    q = "SELECT (COUNT(*) AS ?n) WHERE { program:2 ecograph:phase ?phase }"
    assert _n(client.get("/sparql", query_string={"query": q, "layer": "stated"})) == "0"
    assert _n(client.get("/sparql", query_string={"query": q, "layer": "interpreted"})) == "1"
    q2 = "ASK { program:2 a frapo:FundingProgramme }"
    assert client.get("/sparql", query_string={"query": q2, "layer": "stated"}).get_json()["boolean"] is False
    assert client.get("/sparql", query_string={"query": q2, "layer": "inferred"}).get_json()["boolean"] is True
    assert client.get("/sparql", query_string={"query": q, "layer": "nope"}).status_code == 400


def test_default_and_named_graph_uri(client):
    stated = "https://w3id.org/ecograph/graph/stated"
    q = "SELECT (COUNT(*) AS ?n) WHERE { program:2 ecograph:phase ?phase }"
    assert _n(client.get("/sparql", query_string={"query": q, "default-graph-uri": stated})) == "0"
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { program:2 ecograph:phase ?phase } }"
    assert _n(client.get("/sparql", query_string={"query": q, "named-graph-uri": stated})) == "0"
    r = client.get("/sparql", query_string={"query": q, "default-graph-uri": "http://127.0.0.1:9/remote"})
    assert r.status_code == 400 and "never fetches remote graphs" in r.get_json()["error"]


@pytest.mark.parametrize("query,needle", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "outside the dataset"),
    ("SELECT * FROM NAMED <http://127.0.0.1:9/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "outside the dataset"),
])
def test_remote_access_is_refused(client, query, needle):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    assert needle in r.get_json()["error"]


def test_keywords_inside_strings_are_not_refused(client):
    r = client.get("/sparql", query_string={"query": 'SELECT * WHERE { BIND("SERVICE <http://x/> FROM <http://y/>" AS ?x) }'})
    assert r.status_code == 200


def test_deep_nesting_is_refused_before_the_engine(client):
    deep = "SELECT * WHERE { " + "FILTER NOT EXISTS { " * 2500 + "?s ?p ?o" + " }" * 2500 + " }"
    r = client.post("/sparql", data=deep.encode(), content_type="application/sparql-query")
    assert r.status_code == 400 and "nested" in r.get_json()["error"]
    assert client.get("/healthz").get_json()["worker_restarts"] == 0


def test_timeout_stops_the_query_and_the_server_goes_on(client):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", query_string={"query": heavy, "timeout": "0.5"})
    assert r.status_code == 503 and "time limit" in r.get_json()["error"]
    assert _n(client.get("/sparql", query_string={"query": COUNT_PROGRAMS})) == "35"


def test_row_cap_is_signalled(built_settings):
    from dataclasses import replace

    app = create_app(replace(built_settings, max_rows=5))
    try:
        client = app.test_client()
        q = {"query": "SELECT ?s WHERE { ?s a ecograph:SupportProgram }"}
        r = client.get("/sparql", query_string=q)
        assert r.headers["X-Ecograph-Truncated"] == "true; max-rows=5"
        body = r.get_json()
        assert len(body["results"]["bindings"]) == 5 and body["head"]["link"][0].endswith("max-rows=5")
        r = client.get("/sparql", query_string=q, headers={"Accept": "application/sparql-results+xml"})
        assert b"<link href=" in r.get_data()
        r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
        assert r.get_data().startswith(b"# ecograph: truncated at 5 triples")
        small = client.get("/sparql", query_string={"query": "ASK {}"})
        assert small.headers["X-Ecograph-Truncated"] == "false"
    finally:
        app.extensions["ecograph"].close()


def test_invalid_utf8_is_a_400(client):
    r = client.get("/sparql?query=SELECT%20%FF%FE")
    assert r.status_code == 400 and "UTF-8" in r.get_json()["error"]


def test_request_size_limit(built_settings):
    from dataclasses import replace

    app = create_app(replace(built_settings, max_request_bytes=1000))
    try:
        r = app.test_client().post("/sparql", data=("#" * 5000 + "\nASK {}").encode(), content_type="application/sparql-query")
        assert r.status_code == 413 and r.get_json()["status"] == 413
    finally:
        app.extensions["ecograph"].close()


def test_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert (service, SD.feature, SD.BasicFederatedQuery) not in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g
    names = {str(o) for o in g.objects(None, SD.name)}
    assert "https://w3id.org/ecograph/graph/stated" in names
    ECO = rdflib.Namespace("https://w3id.org/ecograph/ontology#")
    assert int(g.value(service, ECO.maxRows)) == 10000
    for media in ("application/ld+json", "application/rdf+xml"):
        assert client.get("/sparql", headers={"Accept": media}).mimetype == media


def test_cors_on_the_endpoint(client):
    r = client.get("/sparql", query_string={"query": "ASK {}"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Server-Timing" in r.headers["Access-Control-Expose-Headers"]
    refused = client.get("/sparql", query_string={"query": "SELECT"})  # an error answer is readable cross-origin too
    assert refused.status_code == 400 and refused.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/nowhere").headers["Access-Control-Allow-Origin"] == "*"


def test_cors_keeps_what_the_app_set_and_answers_each_header_once():
    """The CORS middleware (http/cors.py) adds its headers only where the app set none, and a preflight's answer
    replaces any the app set, so no header comes twice."""
    from flask import Flask, Response

    from ecograph.http.cors import Cors

    app = Flask(__name__)
    app.wsgi_app = Cors(app.wsgi_app)

    @app.route("/own", methods=["GET", "PUT"])
    def own():
        return Response("x", headers={"Access-Control-Allow-Origin": "https://example.org", "Access-Control-Max-Age": "5"})

    @app.route("/answers-options", methods=["GET", "OPTIONS"], provide_automatic_options=False)
    def answers_options():  # a view that answers OPTIONS itself, with preflight headers of its own
        return Response("", headers={"Allow": "OPTIONS, GET", "Access-Control-Max-Age": "5",
                                     "Access-Control-Allow-Headers": "X-Own"})

    client = app.test_client()
    r = client.get("/own")
    assert r.headers.getlist("Access-Control-Allow-Origin") == ["https://example.org"]
    assert r.headers.getlist("Access-Control-Max-Age") == ["5"]  # not a preflight: left as the app set it
    r = client.options("/own", headers={"Access-Control-Request-Method": "PUT"})
    assert r.headers.getlist("Access-Control-Allow-Methods") == ["GET, HEAD, OPTIONS, PUT"]
    assert r.headers.getlist("Access-Control-Max-Age") == ["7200"]
    r = client.options("/answers-options", headers={"Access-Control-Request-Method": "GET"})
    assert r.headers.getlist("Access-Control-Max-Age") == ["7200"]  # replaced, not sent twice
    assert r.headers.getlist("Access-Control-Allow-Headers") == ["Accept, Accept-Language, Content-Type, If-Modified-Since, If-None-Match"]
    assert r.headers.getlist("Access-Control-Allow-Methods") == ["GET, OPTIONS"]
    assert r.headers.getlist("Access-Control-Allow-Origin") == ["*"]


@pytest.mark.parametrize("path,method,methods", [
    ("/sparql", "POST", "GET, HEAD, OPTIONS, POST"), ("/sparql", "GET", "GET, HEAD, OPTIONS, POST"),
    ("/queries/programs", "GET", "GET, HEAD, OPTIONS"), ("/validate", "POST", "OPTIONS, POST"),
])
def test_cors_preflight(client, path, method, methods):
    """A page on another origin POSTing application/sparql-query is preflighted (it is not a "simple" request)."""
    r = client.options(path, headers={"Origin": "https://example.org", "Access-Control-Request-Method": method,
                                      "Access-Control-Request-Headers": "content-type, accept"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Allow-Methods"] == methods
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "accept"} <= allowed and int(r.headers["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Methods" not in client.options("/nowhere", headers={"Access-Control-Request-Method": "GET"}).headers


def test_dumps_with_etag_gzip_and_304(client):
    listing = client.get("/dumps/").get_json()
    names = {f["name"] for f in listing["files"]}
    assert "dataset.nq" in names and all(f["sha256"] for f in listing["files"] if f["name"] != "SHA256SUMS")
    r = client.get("/dumps/stated.ttl", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Cache-Control"] and r.headers["Last-Modified"]
    etag = r.headers["ETag"]
    assert client.get("/dumps/stated.ttl", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/dumps/../pyproject.toml").status_code == 404
    assert client.get("/dumps/%2e%2e%2fpyproject.toml").status_code == 404


def test_void(client):
    r = client.get("/.well-known/void")
    assert r.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
    assert int(g.value(rdflib.URIRef("https://w3id.org/ecograph/id/dataset/ecograph"), rdflib.VOID.triples)) > 5000
    assert json.loads(client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).get_data())


def test_error_bodies_are_bounded_and_never_echo_a_header_whole(client):
    """Issue 16: a refusal of 5,000 media ranges echoed 93 KB back. Every error body stays small (< 64 KB; a quoted
    value is cut at 2,000 characters and says how much more there was)."""
    accept = ",".join(f"application/x-{i}" for i in range(5000))
    for response in (client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept}),
                     client.get("/queries", headers={"Accept": accept}),
                     client.get("/sparql", query_string={"query": "ASK {}", "format": "x" * 100_000})):
        assert response.status_code == 406
        body = response.get_data()
        assert len(body) < 64_000 and accept.encode() not in body
        assert "characters more" in response.get_json()["error"]


def test_relative_iris_resolve_against_the_endpoint_the_request_names(client):
    """The base IRI is this endpoint's URL as the request names it (its Host header and script root): remembered per
    host, and right for each of more hosts than the memo keeps (sparql.endpoint_iri)."""
    from ecograph.http import sparql

    q = {"query": "SELECT ?o WHERE { BIND(<test> AS ?o) }"}
    kept = sparql._endpoint.cache_info().maxsize
    for n in range(kept + 3):
        host = f"host{n}.example:8{n % 10}00"
        got = client.get("/sparql", query_string=q, headers={"Host": host})
        assert got.get_json()["results"]["bindings"][0]["o"]["value"] == f"http://{host}/test"
    plain = client.get("/sparql", query_string=q, headers={"Host": "host1.example:8100"})
    assert plain.get_json()["results"]["bindings"][0]["o"]["value"] == "http://host1.example:8100/test"
    behind = client.get("/sparql", query_string=q, base_url="http://host1.example:8100/eco/")  # the same host, a script root
    assert behind.get_json()["results"]["bindings"][0]["o"]["value"] == "http://host1.example:8100/eco/test"
    assert sparql._endpoint.cache_info().currsize <= kept
