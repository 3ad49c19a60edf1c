"""The read-only Graph Store Protocol at /rdf-graph-store."""

from __future__ import annotations

import rdflib

STATED = "https://w3id.org/ecograph/graph/stated"


def test_get_a_named_graph_as_turtle(client, built_settings):
    r = client.get("/rdf-graph-store", query_string={"graph": STATED}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    got = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
    dumped = rdflib.Graph().parse(built_settings.dist / "stated.nt", format="nt")
    assert len(got) == len(dumped)


def test_default_graph_of_a_build_is_empty(client):
    r = client.get("/rdf-graph-store?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.get_data() == b""


def test_bad_requests(client):
    assert client.get("/rdf-graph-store").status_code == 400
    assert client.get("/rdf-graph-store", query_string={"graph": STATED, "default": ""}).status_code == 400
    r = client.get("/rdf-graph-store", query_string={"graph": "http://127.0.0.1:9/elsewhere"})
    assert r.status_code == 404 and "no graph" in r.get_json()["error"]
    assert client.get("/rdf-graph-store", query_string={"graph": "../../etc/passwd"}).status_code == 400
    assert client.get("/rdf-graph-store", query_string={"graph": STATED}, headers={"Accept": "image/png"}).status_code == 406


def test_writes_are_refused(client):
    for method in ("PUT", "POST", "DELETE", "PATCH"):
        r = client.open("/rdf-graph-store", method=method, query_string={"graph": STATED}, data=b"<a:b> <a:c> <a:d> .",
                        content_type="application/n-triples")
        assert r.status_code == 405, method
