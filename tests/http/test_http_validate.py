"""POST /validate: an uploaded graph checked against the project's shapes and ontology, the report by Accept;
what a stranger may send (size, media types, RDF/XML, remote JSON-LD contexts, deep nesting, long chains, slow
validations) is bounded and refused, through the Flask test client and through a real `ecograph serve`."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import replace

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from ecograph.http import create_app
from ecograph.http.server import MARGIN_BYTES
from tests.helpers.servers import free_port, running_server
from tests.hostile.corpus import PORT
from tests.hostile.uploads import UPLOADS

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
    """The build's stated and interpreted graphs, sent as one TriG document, have no violation; SHACL's sh:conforms is
    false, as the build's warnings (rounded contract amounts) are results too."""
    quads = []
    for name in ("stated", "interpreted"):
        graph = ox.NamedNode(f"https://w3id.org/ecograph/graph/{name}")
        triples = ox.parse(path=str(built_root / "dist" / f"{name}.ttl"), format=ox.RdfFormat.TURTLE)
        quads += [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    r = _post(client, ox.serialize(quads, format=ox.RdfFormat.TRIG), "application/trig")
    assert r.status_code == 200 and r.mimetype == "application/json"
    report = r.get_json()
    assert report["conforms"] is False and r.headers["X-Ecograph-Conforms"] == "false"
    assert report["violations"] == 0 and r.headers["X-Ecograph-Violations"] == "0"
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
    assert [x for x in report["results"] if x["path"] == "ecograph:fiscalYearStart" and x["value"] == '"next April"^^xsd:date']


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


# ------------------------------------------------------------------ hostile uploads: a clear 4xx (or 200), never a 5xx

CLOSED_PORT = str(free_port())  # what a remote @context would name: nothing listens there, and nothing may connect


def _body(case) -> bytes:
    return case.body.replace(PORT.encode(), CLOSED_PORT.encode())


def _check(case, status: int, body: str) -> None:
    assert status < 500, (status, body[:300])
    assert status in case.statuses(), (status, body[:300])
    assert case.message in body, body[:300]


@pytest.mark.parametrize("case", UPLOADS, ids=[c.id for c in UPLOADS])
def test_hostile_upload(client, case):
    r = client.post("/validate", data=_body(case), content_type=case.content_type, headers=case.headers, query_string=case.query)
    _check(case, r.status_code, r.get_data(as_text=True))


def test_deep_turtle_is_refused_at_its_line_and_column(client):
    deep = "[ rdfs:seeAlso " * 70 + "<x>" + " ]" * 70
    body = PREFIXES + "<https://example.org/a> rdfs:comment 'no ( here' ;\n  rdfs:seeAlso " + deep + " .\n"
    r = _post(client, body, "text/turtle")
    assert r.status_code == 400
    got = r.get_json()
    assert got["line"] == 5 and got["column"] == 16 + 15 * 64 and "nested more than 64 levels deep" in got["error"]
    assert "Flatten" in got["hint"] and got["ok"] is False and got["status"] == 400


# ------------------------------------------------------------------ the time limit: a process per validation, killed at the limit

# 5,000 fiscal years with neither label nor dates: legal, and several seconds of validation (about 7 s here)
SLOW = ("@prefix f: <https://w3id.org/ecograph/id/fiscal-year/> .\n@prefix e: <https://w3id.org/ecograph/ontology#> .\n"
        + "".join(f"f:y{i} a e:FiscalYear .\n" for i in range(5000)))


def _gone(pid: int) -> bool:
    return not os.path.exists(f"/proc/{pid}")


@pytest.fixture(scope="module")
def limited_app(built_settings):
    app = create_app(replace(built_settings, validate_timeout_s=1.0))
    yield app
    app.extensions["ecograph.validation"].close()
    app.extensions["ecograph"].close()


def _during(app, action) -> dict:
    """Run action(pid) in a thread once the first validation of app is under way; what it returns, under "seen"."""
    found: dict = {}

    def watch():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "pid" not in found:
            pids = app.extensions["ecograph.validation"].running()
            if pids:
                found["pid"] = pids[0]
                found["seen"] = action(pids[0])
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    found["thread"] = thread
    return found


def test_validation_past_the_time_limit_is_503_and_its_process_is_stopped(limited_app):
    client = limited_app.test_client()
    assert _post(client, MISSING_EN, "text/turtle").status_code == 200  # the holder started, a validation well under the limit
    other = limited_app.test_client()
    meanwhile = _during(limited_app, lambda pid: (other.get("/healthz").status_code, _post(other, MISSING_EN, "text/turtle").status_code))
    started = time.monotonic()
    r = _post(client, SLOW, "text/turtle")
    took = time.monotonic() - started
    meanwhile["thread"].join(10)
    assert r.status_code == 503 and r.mimetype == "application/json", r.get_data(as_text=True)[:300]
    body = r.get_json()
    assert body["ok"] is False and body["status"] == 503 and "time limit of 1 s" in body["error"]
    assert "validate_timeout_s" in body["hint"] and "ecograph validate" in body["hint"]
    assert 1.0 <= took < 4.0
    assert meanwhile["seen"] == (200, 200)  # the server, and another validation, answered while the slow one ran
    assert _gone(meanwhile["pid"]) and not limited_app.extensions["ecograph.validation"].running()
    r = _post(client, MISSING_EN, "text/turtle")  # the next validation is served
    assert r.status_code == 200 and r.headers["X-Ecograph-Conforms"] == "false"


def test_a_validation_whose_process_dies_is_503_and_the_next_is_served(limited_app):
    client = limited_app.test_client()
    killed = _during(limited_app, lambda pid: os.kill(pid, 9))
    r = _post(client, SLOW, "text/turtle")
    killed["thread"].join(10)
    assert r.status_code == 503
    body = r.get_json()
    assert "died" in body["error"] and "goes on serving" in body["hint"]
    assert _gone(killed["pid"])
    assert _post(client, MISSING_EN, "text/turtle").status_code == 200


# ------------------------------------------------------------------ through a real `ecograph serve` (waitress)

REAL_TIMEOUT_S = 3.0
MAX_BYTES = 1_000_000  # the default max_request_bytes, which the corpus's cases assume


@pytest.fixture(scope="module")
def served(built_root):
    with running_server(built_root, env={"ECOGRAPH_VALIDATE_TIMEOUT_S": str(REAL_TIMEOUT_S),
                                         "ECOGRAPH_MAX_REQUEST_BYTES": str(MAX_BYTES)}) as (base, port):
        yield base, port


def _exchange(port: int, head: bytes, body: bytes = b"") -> tuple[int, dict, bytes]:
    """Send head and body on a fresh connection; (status, headers, body) of the answer, read to the end."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head + body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def _post_real(port: int, body: bytes, media: str, headers: dict | None = None, query: dict | None = None) -> tuple[int, dict, bytes]:
    """POST /validate. A body that waitress refuses by its Content-Length alone is not sent: the answer comes after the
    head (a client still sending would see the connection close under it, as with any server)."""
    target = "/validate" + ("?" + urllib.parse.urlencode(query) if query else "")
    lines = [f"POST {target} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {media}", f"Content-Length: {len(body)}",
             "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return _exchange(port, head, b"" if len(body) >= MAX_BYTES + MARGIN_BYTES else body)


def _assert_json_413(status: int, headers: dict, body: bytes) -> None:
    assert status == 413 and headers["content-type"].startswith("application/json"), (status, headers, body[:300])
    got = json.loads(body)
    assert set(got) == {"ok", "status", "error", "hint"} and got["ok"] is False and got["status"] == 413
    assert "exceeds the capacity limit" in got["error"] and "max_request_bytes" in got["hint"]


@pytest.mark.parametrize("case", UPLOADS, ids=[c.id for c in UPLOADS])
def test_hostile_upload_on_a_real_server(served, case):
    status, _, body = _post_real(served[1], _body(case), case.content_type, case.headers, case.query)
    _check(case, status, body.decode("utf-8", "replace"))


def test_413_on_a_real_server_is_json_just_over_the_limit(served):
    """Over max_request_bytes but within waitress's margin: Flask answers."""
    _assert_json_413(*_post_real(served[1], b"#" * (MAX_BYTES + 1000), "text/turtle"))


def test_413_on_a_real_server_is_json_far_over_the_limit(served):
    """A Content-Length past waitress's own limit: waitress answers, before any of the body is read."""
    _assert_json_413(*_post_real(served[1], b"#" * (20 * MAX_BYTES), "text/turtle"))


def test_413_on_a_real_server_is_json_for_a_chunked_body_that_never_ends(served):
    """No Content-Length: waitress counts the body as it comes and answers once it passes its limit (the body sent
    here stops exactly there, so that the server has read all of it when it closes)."""
    head = (b"POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/turtle\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n")
    limit, chunk = MAX_BYTES + MARGIN_BYTES, b"8000\r\n" + b"#" * 0x8000 + b"\r\n"
    body = chunk * (limit // len(chunk))
    rest = limit - len(body)
    body += f"{rest:x}\r\n".encode() + b"#" * (rest - len(f"{rest:x}\r\n"))
    assert len(body) == limit
    _assert_json_413(*_exchange(served[1], head, body))


def test_a_slow_validation_on_a_real_server_is_503_and_the_server_goes_on(served):
    base, port = served
    seen = {}

    def meanwhile():
        time.sleep(0.5)
        with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
            seen["healthz"] = (r.status, time.monotonic() - started)

    started = time.monotonic()
    thread = threading.Thread(target=meanwhile, daemon=True)
    thread.start()
    big = SLOW + "".join(f"f:z{i} a e:FiscalYear .\n" for i in range(15000))  # about 0.5 MB, half a minute of validation
    status, headers, body = _post_real(port, big.encode(), "text/turtle")
    took = time.monotonic() - started
    thread.join(10)
    assert status == 503 and headers["content-type"].startswith("application/json"), body[:300]
    got = json.loads(body)
    assert got["ok"] is False and got["status"] == 503 and "time limit" in got["error"] and got["hint"]
    assert REAL_TIMEOUT_S <= took < REAL_TIMEOUT_S + 3
    assert seen["healthz"][0] == 200 and seen["healthz"][1] < REAL_TIMEOUT_S  # answered while the validation ran
    status, headers, body = _post_real(port, MISSING_EN.encode(), "text/turtle")
    assert status == 200 and headers["x-ecograph-conforms"] == "false"


# ------------------------------------------------------------------ in the project's context (issue 12)

def _served(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_a_served_page_validates_clean_in_context(client):
    """What the server itself serves, sent back, is clean: its slide, amount and kinds are the project's."""
    r = _post(client, _served(client, "/data/id/program/2.ttl"), "text/turtle")
    report = r.get_json()
    assert r.status_code == 200 and report["conforms"] is True, report["results"]
    assert r.headers["X-Ecograph-Conforms"] == "true" and "in the project's context" in report["context"]
    alone = _post(client, _served(client, "/data/id/program/2.ttl"), "text/turtle", query_string={"alone": "true"}).get_json()
    assert alone["conforms"] is False and alone["context"].startswith("alone")


def test_in_context_a_removed_label_is_exactly_that_violation(client):
    text = _served(client, "/data/id/program/2.ttl")
    label = '"Research Program for Promoting Drug-Discovery Platforms"@en'
    assert label in text
    r = _post(client, text.replace(label + " , ", "").replace(" , " + label, ""), "text/turtle")
    report = r.get_json()
    assert [(x["shape"], x["focus"], x["path"]) for x in report["results"]] == [("ecosh:LabelShape", "program:2", "rdfs:label")]
    assert r.headers["X-Ecograph-Violations"] == "1"


def test_in_context_an_xsd_int_number_is_exactly_that_violation(client):
    text = _served(client, "/data/id/program/2.ttl")
    r = _post(client, text.replace("ecograph:programNumber 2 ;", 'ecograph:programNumber "2"^^<http://www.w3.org/2001/XMLSchema#int> ;'),
              "text/turtle")
    (found,) = r.get_json()["results"]
    assert (found["focus"], found["path"], found["value"]) == ("program:2", "ecograph:programNumber", '"2"^^xsd:int')


def test_alone_must_be_true_or_false(client):
    r = _post(client, MISSING_EN, "text/turtle", query_string={"alone": "maybe"})
    assert r.status_code == 400 and r.get_json()["error"].startswith("alone must be true or false")
