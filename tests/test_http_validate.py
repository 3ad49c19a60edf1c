"""POST /validate: an uploaded graph checked against the project's shapes and ontology, the report by Accept;
what a stranger may send (size, media types, RDF/XML, remote JSON-LD contexts) is bounded and refused."""

from __future__ import annotations

import json
import socket
from dataclasses import replace

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from ecograph.http import create_app

FY = "https://w3id.org/ecograph/id/fiscal-year/2030"
PREFIXES = """\
@prefix ecograph: <https://w3id.org/ecograph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# a fiscal year with its Japanese label only: LabelShape wants one @ja and one @en
MISSING_EN = PREFIXES + f"""\
<{FY}> a ecograph:FiscalYear ;
    rdfs:label "令和12年度"@ja ;
    ecograph:fiscalYearStart "2030-04-01"^^xsd:date ;
    ecograph:fiscalYearEnd "2031-03-31"^^xsd:date .
"""
LABEL_MESSAGE_EN = "Needs exactly two rdfs:labels: one in Japanese (@ja) and one in English (@en)."
LABEL_MESSAGE_JA = "ラベル（rdfs:label）は日本語（@ja）と英語（@en）を一つずつ、ちょうど二つ必要。"


def _post(client, body, media, **kwargs):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post("/validate", data=data, content_type=media, **kwargs)


def _label_results(report: dict) -> list[dict]:
    return [r for r in report["results"] if r["shape"] == "ecosh:LabelShape" and r["focus"] == f"<{FY}>"]


def _as(text: str, fmt) -> bytes:
    """MISSING_EN in another syntax (quads in a named graph for the dataset formats)."""
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        graph = ox.NamedNode("https://example.org/graph/upload")
        return ox.serialize([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], format=fmt)
    return ox.serialize(triples, format=fmt)


# ------------------------------------------------------------------ reports

def test_project_data_conforms(client, built_root):
    """The build's stated and interpreted graphs, sent as one TriG document, conform (with the build's warnings)."""
    quads = []
    for name in ("stated", "interpreted"):
        graph = ox.NamedNode(f"https://w3id.org/ecograph/graph/{name}")
        triples = ox.parse(path=str(built_root / "dist" / f"{name}.ttl"), format=ox.RdfFormat.TURTLE)
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    r = _post(client, ox.serialize(quads, format=ox.RdfFormat.TRIG), "application/trig")
    assert r.status_code == 200 and r.mimetype == "application/json"
    report = r.get_json()
    assert report["conforms"] is True and r.headers["X-Ecograph-Conforms"] == "true"
    assert not [x for x in report["results"] if x["severity"] == "Violation"]


def test_non_conforming_upload_is_200_with_the_message(client):
    r = _post(client, MISSING_EN, "text/turtle")
    assert r.status_code == 200 and r.headers["X-Ecograph-Conforms"] == "false"
    report = r.get_json()
    assert report["conforms"] is False and report["summary"].startswith("does NOT conform")
    hits = _label_results(report)
    assert hits and hits[0]["severity"] == "Violation"
    assert hits[0]["message_en"] == LABEL_MESSAGE_EN and hits[0]["message_ja"] == LABEL_MESSAGE_JA
    assert hits[0]["focus_label"] == "令和12年度" and hits[0]["path"] == "rdfs:label"


@pytest.mark.parametrize("fmt, media", [
    (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    (ox.RdfFormat.N_QUADS, "application/n-quads"),
    (ox.RdfFormat.TRIG, "application/trig"),
    (ox.RdfFormat.JSON_LD, "application/ld+json"),
])
def test_every_input_syntax_gives_the_same_report(client, fmt, media):
    turtle = _post(client, MISSING_EN, "text/turtle").get_json()
    r = _post(client, _as(MISSING_EN, fmt), media)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json() == turtle


@pytest.mark.parametrize("fmt, media", [(ox.RdfFormat.TURTLE, "text/turtle"), (ox.RdfFormat.N_TRIPLES, "application/n-triples")])
def test_ill_typed_literal_is_a_finding_not_an_error(client, fmt, media):
    text = MISSING_EN.replace('"2030-04-01"^^xsd:date', '"next April"^^xsd:date')
    r = _post(client, _as(text, fmt), media)
    assert r.status_code == 200
    report = r.get_json()
    assert report["conforms"] is False
    assert [x for x in report["results"] if x["path"] == "ecograph:fiscalYearStart" and x["value"] == "next April"]


def test_charset_parameter_is_accepted(client):
    assert _post(client, MISSING_EN, "text/turtle; charset=utf-8").status_code == 200


def test_report_as_turtle(client):
    for kwargs in ({"headers": {"Accept": "text/turtle"}}, {"query_string": {"format": "ttl"}}):
        r = _post(client, MISSING_EN, "text/turtle", **kwargs)
        assert r.status_code == 200 and r.mimetype == "text/turtle"
        graph = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
        report = next(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
        assert graph.value(report, SH.conforms).toPython() is False
        messages = {str(m) for m in graph.objects(None, SH.resultMessage)}
        assert LABEL_MESSAGE_EN in messages and LABEL_MESSAGE_JA in messages


def test_report_as_text(client):
    r = _post(client, MISSING_EN, "text/turtle", headers={"Accept": "text/plain"})
    assert r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert text.startswith("does NOT conform") and LABEL_MESSAGE_EN in text


def test_html_report_escapes_what_the_upload_says(client):
    evil = MISSING_EN.replace('"令和12年度"@ja', '"<script>alert(\\"label\\")</script>"@en').replace(
        '"2030-04-01"^^xsd:date', '"<img src=x onerror=alert(1)>"')
    r = _post(client, evil, "text/turtle", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;label&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "does not conform" in page and LABEL_MESSAGE_EN in page


def test_report_406(client):
    r = _post(client, MISSING_EN, "text/turtle", headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.get_json()["ok"] is False
    assert _post(client, MISSING_EN, "text/turtle", query_string={"format": "pdf"}).status_code == 406


def test_relative_iris_never_show_a_server_path(client):
    r = _post(client, PREFIXES + '<thing> a ecograph:FiscalYear .\n', "text/turtle")
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert "http://upload.invalid/thing" in body and "file:" not in body


# ------------------------------------------------------------------ refusals

def test_turtle_syntax_error_names_line_and_column(client):
    r = _post(client, PREFIXES + '<https://example.org/a> rdfs:label "open .\n', "text/turtle")
    assert r.status_code == 400
    body = r.get_json()
    assert body["ok"] is False and body["error"].startswith("upload, line 4, column")
    assert body["line"] == 4 and isinstance(body["column"], int)


def test_unknown_prefix_says_how_to_declare_it(client):
    r = _post(client, PREFIXES + "<https://example.org/a> frapo:funds <https://example.org/b> .\n", "text/turtle")
    assert r.status_code == 400
    body = r.get_json()
    assert "line 4" in body["error"] and "@prefix frapo:" in body["hint"]


@pytest.mark.parametrize("media, body, line", [
    ("application/n-triples", b'<https://example.org/a> <https://example.org/p> "1" .\n<https://example.org/a> oops .\n', 2),
    ("application/n-quads", b'<https://example.org/a> <https://example.org/p> "1" <g> .\n', 1),
    ("application/trig", b'@prefix ex: <https://example.org/> .\nex:g {\n  ex:a frapo:p "1" .\n}\n', 3),
    ("application/ld+json", b'{\n  "@id": "https://example.org/a",\n  "https://example.org/p": }\n', 3),
])
def test_syntax_errors_in_other_formats_name_line_and_column(client, media, body, line):
    r = _post(client, body, media)
    assert r.status_code == 400
    got = r.get_json()
    assert got["line"] == line and got["column"] and f"upload, line {line}, column" in got["error"]


def test_invalid_utf8_is_a_400(client):
    r = _post(client, PREFIXES.encode() + b'<https://example.org/a> rdfs:label "\xff" .\n', "text/turtle")
    assert r.status_code == 400 and "UTF-8" in r.get_json()["error"]


def test_oversize_upload_is_413(built_settings):
    app = create_app(replace(built_settings, max_request_bytes=1000))
    try:
        client = app.test_client()
        r = _post(client, MISSING_EN + "# padding\n" * 200, "text/turtle")
        assert r.status_code == 413
        body = r.get_json()
        assert body["ok"] is False and body["status"] == 413 and "max_request_bytes" in body["hint"]
        assert _post(client, MISSING_EN, "text/turtle").status_code == 200  # under the limit
    finally:
        app.extensions["ecograph"].close()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> <!ENTITY lol "lol"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="https://example.org/a"><rdfs:label>&secret;&lol;</rdfs:label></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("media", ["application/rdf+xml", "application/xml", "text/xml"])
def test_rdf_xml_is_refused_unread(client, media):
    r = _post(client, XXE, media)
    assert r.status_code == 415
    body = r.get_json()
    assert "refused" in body["error"] and "Turtle" in body["hint"]
    assert "root:" not in r.get_data(as_text=True)


@pytest.mark.parametrize("media", ["text/csv", "multipart/form-data; boundary=x", "application/octet-stream", None])
def test_unsupported_content_type_is_415(client, media):
    r = client.post("/validate", data=MISSING_EN.encode(), content_type=media)
    assert r.status_code == 415
    assert "text/turtle" in r.get_json()["hint"]


def test_get_is_405(client):
    assert client.get("/validate").status_code == 405


@pytest.mark.parametrize("context", [
    "http://127.0.0.1:{port}/context.jsonld",
    ["http://127.0.0.1:{port}/context.jsonld"],
    {"@import": "http://127.0.0.1:{port}/context.jsonld"},
])
def test_jsonld_remote_context_is_never_fetched(client, context):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    try:
        port = listener.getsockname()[1]
        ctx = json.loads(json.dumps(context).replace("{port}", str(port)))
        doc = {"@context": ctx, "@id": "https://example.org/a", "name": "a"}
        r = _post(client, json.dumps(doc), "application/ld+json")
        assert r.status_code == 400
        body = r.get_json()
        assert "remote @context" in body["error"] and "never fetched" in body["error"]
        with pytest.raises(socket.timeout):
            connection, _ = listener.accept()
            connection.close()
    finally:
        listener.close()


def test_jsonld_with_an_inline_context_is_read(client):
    doc = {"@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "ecograph": "https://w3id.org/ecograph/ontology#"},
           "@id": FY, "@type": "ecograph:FiscalYear", "rdfs:label": {"@value": "令和12年度", "@language": "ja"}}
    r = _post(client, json.dumps(doc, ensure_ascii=False), "application/ld+json")
    assert r.status_code == 200
    assert _label_results(r.get_json())
