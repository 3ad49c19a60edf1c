"""Linked data: every ecograph IRI dereferences on the server (ecograph/http/linked.py).

Instance IRIs answer 303 to their HTML page or RDF document by Accept; the ontology is negotiated directly;
keys are validated before any query; pages escape everything the data holds."""

from __future__ import annotations

import html
import re
import time
import warnings
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL

from ecograph.namespaces import BASE, ECO, ONTOLOGY_IRI
from tests.helpers.project import data_app
from tests.helpers.rdfload import _term

ID = BASE + "id/"
PROGRAM_2 = ID + "program/2"
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}
ALL_FORMATS = sorted([*RDFLIB_FORMATS, *QUAD_FORMATS])


def path_of(iri: str) -> str:
    """The server path of an ecograph IRI: the persistent base maps onto the root."""
    assert iri.startswith(BASE)
    return "/" + iri[len(BASE):]


def graph_of(body: bytes, fmt: str) -> rdflib.Graph:
    """The body as one rdflib graph: parsed by rdflib (not by pyoxigraph, which wrote it), quads merged."""
    if fmt in QUAD_FORMATS:
        union = rdflib.Graph()
        for graph in graphs_of(body, fmt).values():
            union += graph
        return union
    graph = rdflib.Graph()
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.filterwarnings("ignore", message="ConjunctiveGraph is deprecated", category=DeprecationWarning)
        graph.parse(data=body, format=RDFLIB_FORMATS[fmt])
    return graph


def graphs_of(body: bytes, fmt: str) -> dict:
    """A TriG or N-Quads body by graph name (None: the default graph), read as tests/helpers/rdfload.py does: rdflib's
    own Dataset parsers call deprecated rdflib APIs, which warnings-as-errors rejects."""
    out: dict = {}
    for quad in ox.parse(body, format=QUAD_FORMATS[fmt]):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        out.setdefault(name, rdflib.Graph()).add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return out


def subjects_in(path, prefix: str) -> set[str]:
    return {q.subject.value for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)}


def assert_json_error(response, status: int) -> None:
    assert response.status_code == status, response.data[:300]
    body = response.get_json()
    assert body["ok"] is False and body["status"] == status and body["error"]


# ------------------------------------------------------------------ every IRI resolves

def test_every_instance_iri_resolves_as_html_and_turtle(client, built_root):
    iris = sorted(subjects_in(built_root / "dist" / "stated.ttl", ID) | subjects_in(built_root / "dist" / "interpreted.ttl", ID))
    assert len(iris) > 300
    failures = []
    started = time.monotonic()
    for iri in iris:
        page = client.get(path_of(iri), headers={"Accept": "text/html"}, follow_redirects=True)
        if page.status_code != 200 or not page.content_type.startswith("text/html") or html.escape(iri) not in page.get_data(as_text=True):
            failures.append((iri, "html", page.status_code))
        data = client.get(path_of(iri), headers={"Accept": "text/turtle"}, follow_redirects=True)
        if data.status_code != 200 or (URIRef(iri), None, None) not in graph_of(data.data, "ttl"):
            failures.append((iri, "turtle", data.status_code))
    assert not failures, failures[:10]
    assert time.monotonic() - started < 60


def test_other_ecograph_iris_in_the_dataset_resolve(client, built_root):
    """Graph names, the ontology and its version IRI, the shapes, the dumps, the endpoint: every non-instance IRI."""
    paths = set()
    for quad in ox.parse(path=str(built_root / "dist" / "dataset.nq"), format=ox.RdfFormat.N_QUADS):
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE) and not term.value.startswith(ID):
                paths.add(path_of(term.value.partition("#")[0]))
    assert {"/ontology", "/ontology/0.1.0", "/shapes", "/graph/stated", "/graph/interpreted", "/sparql"} <= paths
    for path in sorted(paths):
        response = client.get(path, headers={"Accept": "text/html, */*;q=0.5"}, follow_redirects=True)
        assert response.status_code == 200, (path, response.status_code, response.data[:200])


# ------------------------------------------------------------------ 303 and content negotiation

@pytest.mark.parametrize("accept, target", [
    ("text/turtle", "/data/id/program/2.ttl"),
    ("application/ld+json", "/data/id/program/2.jsonld"),
    ("application/rdf+xml", "/data/id/program/2.rdf"),
    ("application/n-triples", "/data/id/program/2.nt"),
    ("application/trig", "/data/id/program/2.trig"),
    ("application/n-quads", "/data/id/program/2.nq"),
    ("text/html", "/doc/id/program/2"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/doc/id/program/2"),
    ("application/xhtml+xml", "/doc/id/program/2"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "/data/id/program/2.ttl"),
    ("text/turtle;q=0.1, application/ld+json", "/data/id/program/2.jsonld"),
    ("text/html;q=0.2, application/n-triples;q=0.8", "/data/id/program/2.nt"),
    ("text/html;q=0, */*", "/data/id/program/2.ttl"),
    ("*/*", "/data/id/program/2.ttl"),
    (None, "/data/id/program/2.ttl"),
])
def test_instance_iri_answers_303_by_accept(client, accept, target):
    response = client.get("/id/program/2", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == target
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("ext", ALL_FORMATS)
def test_rdf_documents_parse_and_describe_the_resource(client, ext):
    response = client.get(f"/data/id/program/2.{ext}")
    assert response.status_code == 200
    assert response.headers["Link"] == f'<{PROGRAM_2}>; rel="describes"'
    graph = graph_of(response.data, ext)
    assert (URIRef(PROGRAM_2), ECO.slide, URIRef(ID + "source/slide/10")) in graph
    assert (URIRef(PROGRAM_2), ECO.phase, URIRef(ID + "phase/basic-applied")) in graph
    assert all(s == URIRef(PROGRAM_2) for s in graph.subjects(unique=True)), "a concise bounded description: only its own triples"


@pytest.mark.parametrize("ext", sorted(QUAD_FORMATS))
def test_quad_formats_keep_the_graph_of_each_statement(client, ext):
    graphs = graphs_of(client.get(f"/data/id/program/2.{ext}").data, ext)
    program = URIRef(PROGRAM_2)

    def holding(triple) -> set:
        return {name for name, graph in graphs.items() if triple in graph}

    assert holding((program, ECO.phase, URIRef(ID + "phase/basic-applied"))) == {BASE + "graph/interpreted"}
    assert holding((program, ECO.slide, URIRef(ID + "source/slide/10"))) == {BASE + "graph/stated"}
    assert holding((program, rdflib.PROV.wasDerivedFrom, URIRef(ID + "source/slide/10"))) == {BASE + "graph/inferred"}


def test_blank_node_closure_includes_rdf_lists(client):
    graph = graph_of(client.get("/data/id/scheme/phase-order.ttl").data, "ttl")
    head = graph.value(URIRef(ID + "scheme/phase-order"), rdflib.SKOS.memberList)
    members = [str(m) for m in Collection(graph, head)]
    assert members == [ID + "phase/" + k for k in ("basic-applied", "preclinical", "clinical-manufacturing", "approval-market")]
    page = client.get("/doc/id/scheme/phase-order").get_data(as_text=True)
    assert re.search(r"<ol><li><a href=\"/id/phase/basic-applied\">.*</ol>", page)


def test_unacceptable_type_is_406(client):
    response = client.get("/id/program/2", headers={"Accept": "image/png"})
    assert_json_error(response, 406)
    assert "text/turtle" in response.get_json()["hint"]


def test_unknown_iri_is_404(client):
    for path, accept in (("/id/program/999", "text/turtle"), ("/id/program/999", "text/html"), ("/id/nothing", None),
                         ("/doc/id/program/999", None), ("/data/id/program/999.ttl", None), ("/data/id/program/2.exe", None),
                         ("/data/id/program/2", None)):
        assert_json_error(client.get(path, headers={"Accept": accept} if accept else {}), 404)


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/..%2F..%2Fetc%2Fpasswd", "/id/program/%2e%2e",
    "/id/program/.", "/id/program/2%00", "/id/%00", "/id/program%5C2", "/id/..%5C..%5Cwindows", "/id/program/2%0a",
    "/id/%E3%81%82", "/id/program/2%20x", "/id/program/<script>", "/id/" + "a" * 5000, "/id/" + "a/" * 300 + "b",
    "/doc/id/../../etc/passwd", "/doc/id/%2e%2e/x", "/data/id/..%2f..%2fetc%2fpasswd.ttl", "/data/id/%00.ttl",
    "/data/id/" + "x" * 10000 + ".ttl", "/ontology/..%2f..%2fetc%2fpasswd", "/graph/..%2fstated",
])
def test_traversal_and_malformed_keys_never_reach_a_query(client, app, monkeypatch, path):
    ran = []
    pool = app.extensions["ecograph"].pool
    monkeypatch.setattr(pool, "run", lambda job, timeout_s, **kw: ran.append(job))
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert_json_error(response, response.status_code)
    assert not ran


def test_query_text_holds_only_the_iri_rebuilt_from_the_validated_key(client, app, monkeypatch):
    pool = app.extensions["ecograph"].pool
    jobs = []
    real_run = pool.run

    def recording(job, timeout_s, **kw):
        jobs.append(job)
        return real_run(job, timeout_s, **kw)

    monkeypatch.setattr(pool, "run", recording)
    assert client.get("/id/program/2?x=%3E%7D", headers={"Accept": "text/html"}, follow_redirects=True).status_code == 200
    assert len(jobs) >= 4
    for job in jobs:
        assert set(re.findall(r"<([^>]*)>", job.query)) <= {PROGRAM_2}
        assert "$IRI" not in job.query


# ------------------------------------------------------------------ HTML pages

def test_page_language_defaults_to_japanese_first_with_both_shown(client):
    response = client.get("/doc/id/program/2")
    page = response.get_data(as_text=True)
    assert response.headers["Vary"] == "Accept-Language"
    assert '<html lang="ja">' in page
    ja, en = page.index("創薬基盤推進研究事業</h1>"), page.index("Research Program for Promoting Drug-Discovery Platforms")
    assert ja < en


@pytest.mark.parametrize("query, headers", [("?lang=en", {}), ("", {"Accept-Language": "en-US,en;q=0.9"}),
                                            ("?lang=en", {"Accept-Language": "ja"})])
def test_page_language_english_first(client, query, headers):
    page = client.get("/doc/id/program/2" + query, headers=headers).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Research Program for Promoting Drug-Discovery Platforms</h1>" in page
    assert page.index("Research Program for Promoting Drug-Discovery Platforms") < page.index("創薬基盤推進研究事業")


def test_lang_choice_survives_the_303_and_the_links(client):
    response = client.get("/id/program/2?lang=en", headers={"Accept": "text/html"})
    assert response.headers["Location"] == "/doc/id/program/2?lang=en"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/id/amount/2?lang=en"' in page


def test_page_shows_properties_links_slide_formats_and_sparql(client):
    page = client.get("/doc/id/program/2").get_data(as_text=True)
    assert 'href="/id/amount/2"' in page                      # ecograph IRIs map onto local paths
    assert 'href="/ontology#SupportProgram"' in page          # ontology terms too
    assert 'href="/id/source/slide/10"' in page               # the source slide
    assert "/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fecograph%2Fid%2Fprogram%2F2%3E" in page
    for ext in ALL_FORMATS:
        assert f'href="/data/id/program/2.{ext}"' in page
    assert 'href="/id/support-line/1"' in page                # an incoming link
    assert "<script" not in page and "stylesheet" not in page and "//fonts." not in page


def _row(page: str, curie: str) -> str:
    rows = [row for row in page.split("<tr>") if f"<code>{curie}</code>" in row.partition("</th>")[0]]
    assert len(rows) == 1, curie
    return rows[0]


def test_interpreted_statement_shows_its_graph_and_reason(client, built_root):
    interpreted = rdflib.Graph().parse(built_root / "dist" / "interpreted.ttl")
    record = next(i for i in interpreted.subjects(ECO.interpretsResource, URIRef(PROGRAM_2))
                  if (i, ECO.interpretsProperty, ECO.phase) in interpreted)
    reasons = {r.language: str(r) for r in interpreted.objects(record, ECO.reason)}
    assert set(reasons) == {"ja", "en"}
    page = client.get("/doc/id/program/2").get_data(as_text=True)
    phase = _row(page, "ecograph:phase")
    assert "g-interpreted" in phase and "g-stated" not in phase
    assert html.escape(reasons["ja"]) in phase and html.escape(reasons["en"]) in phase
    assert f'href="{path_of(str(record))}"' in phase
    label = _row(page, "rdfs:label")
    assert "g-stated" in label and "g-interpreted" not in label
    assert "g-inferred" in _row(page, "prov:wasDerivedFrom")


def test_home_page_links_the_services_and_examples(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    for href in ("/sparql", "/queries", "/dumps/", "/.well-known/void", "/ontology"):
        assert f'href="{href}"' in page
    assert "サービス" in page and "Services" in page
    examples = re.findall(r'href="(/id/[^"]+)"', page)
    assert len(examples) >= 3
    for href in examples:
        assert client.get(href, headers={"Accept": "text/html"}, follow_redirects=True).status_code == 200
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)


def test_truncated_note_resolves(client):
    response = client.get("/doc/truncated")
    assert response.status_code == 200 and "max_rows" in response.get_data(as_text=True)


# ------------------------------------------------------------------ ontology, graphs, shapes

def test_ontology_as_html(client):
    response = client.get("/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    assert 'id="SupportProgram"' in response.get_data(as_text=True)
    assert "Accept" in response.headers["Vary"]
    assert 'class="site-nav"' in response.get_data(as_text=True)  # drawn with the site's navigation (the dump has none)
    english = client.get("/ontology?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<html lang="en">' in english and 'id="SupportProgram"' in english


@pytest.mark.parametrize("accept, ext", [("text/turtle", "ttl"), ("application/rdf+xml", "rdf"),
                                         ("application/ld+json", "jsonld"), ("application/n-triples", "nt"), (None, "ttl")])
def test_ontology_as_rdf(client, accept, ext):
    response = client.get("/ontology", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"/dumps/ontology.{ext}"
    graph = graph_of(response.data, ext)
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in graph
    assert (ECO.SupportProgram, RDF.type, OWL.Class) in graph


def test_ontology_version_iri_resolves_to_the_same_document(client):
    current = client.get("/ontology", headers={"Accept": "text/turtle"}).data
    assert client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"}).data == current
    assert_json_error(client.get("/ontology/9.9.9"), 404)
    assert_json_error(client.get("/ontology", headers={"Accept": "image/png"}), 406)


def test_graph_and_shapes_iris_redirect_to_their_dumps(client):
    for path, accept, target in (("/graph/stated", "text/turtle", "/dumps/stated.ttl"),
                                 ("/graph/interpreted", "application/n-triples", "/dumps/interpreted.nt"),
                                 ("/graph/metadata", None, "/dumps/void.ttl"), ("/shapes", None, "/dumps/shapes.ttl")):
        response = client.get(path, headers={"Accept": accept} if accept else {})
        assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == target
        assert client.get(target).status_code == 200
    assert_json_error(client.get("/graph/nothing"), 404)


# ------------------------------------------------------------------ serve --data: escaping

@pytest.fixture(scope="module")
def data_client(tmp_path_factory):
    """serve --data over the hostile corpus's data, whose labels hold HTML and script."""
    from tests.hostile.corpus import EVIL_DATA

    with data_app(tmp_path_factory.mktemp("linked-data"), "evil.ttl", EVIL_DATA) as app:
        yield app.test_client()


def test_pages_escape_everything_the_data_holds(data_client):
    response = data_client.get("/id/program/evil", headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script" not in page and "<img" not in page and "</td><script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "a &amp; b &lt; c" in page
    assert 'href="javascript:' not in page and "javascript:alert(3)" in page   # shown, never a link
    assert "&lt;/td&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in page          # the label of an incoming link
    assert "g-other" in page                                                     # statements of the default graph


def test_data_mode_serves_rdf_and_has_no_dumps(data_client):
    graph = graph_of(data_client.get("/id/program/evil", headers={"Accept": "text/turtle"}, follow_redirects=True).data, "ttl")
    assert (URIRef(ID + "program/evil"), rdflib.RDFS.seeAlso, URIRef("javascript:alert(3)")) in graph
    home = data_client.get("/").get_data(as_text=True)
    assert 'href="/sparql"' in home and 'href="/dumps/"' not in home
    assert_json_error(data_client.get("/ontology"), 404)
    assert_json_error(data_client.get("/graph/stated"), 404)
    assert_json_error(data_client.get("/id/program/2"), 404)


def test_a_resource_page_shows_the_layer_asked_for(client):
    """`layer` means the same on a resource page as on /sparql and the named queries (engine/job.py): ?layer=stated
    shows only what the text states (program ②'s phase is an interpretation), ?layer=interpreted adds it."""
    def page(**query):
        response = client.get("/doc/id/program/2", query_string=query, headers={"Accept": "text/html"})
        assert response.status_code == 200
        return response.get_data(as_text=True)

    phase = "phase/basic-applied"
    assert phase in page() and phase in page(layer="interpreted") and phase not in page(layer="stated")
    assert "program/2" in page(layer="stated")  # the resource itself is stated
    assert client.get("/doc/id/program/2", query_string={"layer": "dreamt"}, headers={"Accept": "text/html"}).status_code == 400
