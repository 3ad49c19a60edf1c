"""`serve --data` takes any RDF file (issue 13): relative IRIs in a file resolve against its own file: URL or
--base; --named-graph serves a file as a named graph (an empty one declared all the same); --default-graph union |
default; default-graph-uri names the store's own default graph (urn:x-arq:DefaultGraph) or an empty graph the user
declared; relative protocol graph IRIs and FROM resolve as the engine resolves them."""

from __future__ import annotations

import pytest

from ecograph.cli import main
from ecograph.engine.serving import DEFAULT_GRAPH_IRI, Source
from tests.helpers.project import data_app

RELATIVE = "<s> <p> <o> .\n"
TRIG = '<http://ex.org/g> { <http://ex.org/a> <http://ex.org/p> "named" }\n<http://ex.org/b> <http://ex.org/p> "default" .\n'
SD_UNION = "http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph"


def _rows(client, query: str, **params) -> list[dict]:
    response = client.get("/sparql", query_string={"query": query, **params}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def _values(client, query: str, **params) -> list[str]:
    return sorted(next(iter(row.values())) for row in _rows(client, query, **params))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A TriG file (a default graph and a named graph), a Turtle file with relative IRIs as the named graph named by
    its file: URL, and an empty file as the empty graph <http://ex.org/empty>; default_graph = default."""
    directory = tmp_path_factory.mktemp("serve-data")
    (directory / "rel.ttl").write_text(RELATIVE, encoding="utf-8")
    (directory / "empty.ttl").write_text("", encoding="utf-8")
    more = (Source(directory / "rel.ttl", (directory / "rel.ttl").as_uri()), Source(directory / "empty.ttl", "http://ex.org/empty"))
    with data_app(directory, "data.trig", TRIG, more, default_graph="default") as app:
        yield app.test_client(), directory


def test_issue_13_relative_iris_in_a_file_resolve_against_its_url(tmp_path):
    with data_app(tmp_path, "rel.ttl", RELATIVE) as app:  # was: "No scheme found in an absolute IRI", and no server
        assert _values(app.test_client(), "SELECT ?s { ?s ?p ?o }") == [(tmp_path / "s").resolve().as_uri()]


def test_issue_13_the_base_setting_resolves_them(tmp_path):
    with data_app(tmp_path, "rel.ttl", RELATIVE, base_iri="http://example.org/data/") as app:
        assert _values(app.test_client(), "SELECT ?o { ?s ?p ?o }") == ["http://example.org/data/o"]


def test_the_default_graph_is_the_stores_own_with_default(served):
    client, _ = served
    assert _values(client, "SELECT ?o { ?s ?p ?o }") == ["default"]
    assert _values(client, "SELECT ?o { ?s ?p ?o }", layer="all") == sorted(["default", "named", served[1].resolve().as_uri() + "/o"])
    assert _values(client, "SELECT ?g { GRAPH ?g { } }") == sorted(["http://ex.org/empty", "http://ex.org/g", _rel(served)])
    assert SD_UNION not in client.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)


def test_the_default_graph_is_the_union_by_default(tmp_path):
    with data_app(tmp_path, "data.trig", TRIG) as app:
        client = app.test_client()
        assert _values(client, "SELECT ?o { ?s ?p ?o }") == ["default", "named"]
        assert _values(client, "SELECT ?o { ?s ?p ?o }", **{"default-graph-uri": DEFAULT_GRAPH_IRI}) == ["default"]
        assert SD_UNION in client.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)


def _rel(served) -> str:
    return (served[1] / "rel.ttl").resolve().as_uri()


def test_issue_13_default_graph_uri_names_the_stores_default_graph_and_a_declared_empty_graph(served):
    client, _ = served
    query = "SELECT ?o { ?s ?p ?o }"
    assert _values(client, query, **{"default-graph-uri": DEFAULT_GRAPH_IRI}) == ["default"]
    assert _values(client, query, **{"default-graph-uri": [DEFAULT_GRAPH_IRI, "http://ex.org/g"]}) == ["default", "named"]
    assert _values(client, f"SELECT ?o FROM <{DEFAULT_GRAPH_IRI}> FROM <http://ex.org/g> {{ ?s ?p ?o }}") == ["default", "named"]
    assert _values(client, query, **{"default-graph-uri": "http://ex.org/empty"}) == []  # declared by an empty file
    # a dataset given is exactly that: no named graphs unless it names some
    assert _values(client, "SELECT ?g { GRAPH ?g { } }", **{"default-graph-uri": DEFAULT_GRAPH_IRI}) == []
    assert _values(client, "SELECT ?g { GRAPH ?g { } }", **{"named-graph-uri": "http://ex.org/empty"}) == ["http://ex.org/empty"]


def test_the_stores_default_graph_is_not_a_named_graph(served):
    client, _ = served
    response = client.get("/sparql", query_string={"query": "ASK {}", "named-graph-uri": DEFAULT_GRAPH_IRI})
    assert response.status_code == 400 and "cannot be a named graph" in response.get_json()["error"]


def test_issue_13_relative_graph_iris_resolve_as_the_engine_resolves_them(served):
    client, directory = served
    base = directory.resolve().as_uri() + "/"
    # FROM, against the query's BASE (the W3C dataset tests: FROM <data-g1.ttl>, was 400 "outside the dataset")
    assert _values(client, f"BASE <{base}> SELECT ?o FROM <rel.ttl> {{ ?s ?p ?o }}") == [base + "o"]
    assert _values(client, f"BASE <{base}q.rq> SELECT ?g FROM NAMED <rel.ttl> {{ GRAPH ?g {{ }} }}") == [base + "rel.ttl"]
    # the protocol's graph IRIs, against the query's BASE too
    assert _values(client, f"BASE <{base}> SELECT ?o {{ ?s ?p ?o }}", **{"default-graph-uri": "rel.ttl"}) == [base + "o"]
    # else against the endpoint's URL, which is the engine's base: not a graph here
    response = client.get("/sparql", query_string={"query": "SELECT * {}", "default-graph-uri": "rel.ttl"})
    assert response.status_code == 400 and "<http://localhost/rel.ttl> is not a graph of this dataset" in response.get_json()["error"]


def test_the_rdflib_store_serves_the_same(tmp_path):
    (tmp_path / "rel.ttl").write_text(RELATIVE, encoding="utf-8")
    (tmp_path / "empty.ttl").write_text("", encoding="utf-8")
    more = (Source(tmp_path / "rel.ttl", "http://ex.org/rel"), Source(tmp_path / "empty.ttl", "http://ex.org/empty"))
    with data_app(tmp_path, "data.trig", TRIG, more, store="rdflib", default_graph="default", base_iri="http://ex.org/base/") as app:
        client = app.test_client()
        assert _values(client, "SELECT ?o { ?s ?p ?o }") == ["default"]
        assert _values(client, "SELECT ?o { ?s ?p ?o }", **{"default-graph-uri": [DEFAULT_GRAPH_IRI, "http://ex.org/rel"]}) == [
            "default", "http://ex.org/base/o"]
        assert _values(client, "SELECT ?o { ?s ?p ?o }", **{"default-graph-uri": "http://ex.org/empty"}) == []


def test_the_disk_store_keeps_a_declared_empty_graph(tmp_path):
    (tmp_path / "empty.ttl").write_text("", encoding="utf-8")
    with data_app(tmp_path, "data.trig", TRIG, (Source(tmp_path / "empty.ttl", "http://ex.org/empty"),), storage="disk") as app:
        assert "http://ex.org/empty" in app.extensions["ecograph"].served.graphs
        assert _values(app.test_client(), "SELECT ?o { ?s ?p ?o }", **{"default-graph-uri": "http://ex.org/empty"}) == []


def test_a_trig_file_is_no_named_graph(tmp_path, runner):
    (tmp_path / "d.trig").write_text(TRIG, encoding="utf-8")
    result = runner.invoke(main, ["--root", str(tmp_path), "serve", "--named-graph", str(tmp_path / "d.trig")])
    assert result.exit_code == 2 and "names its own graphs" in result.output


def test_named_graph_takes_a_name_or_the_files_url(tmp_path, runner):
    from ecograph.cli import _named_graph

    (tmp_path / "a=b.ttl").write_text(RELATIVE, encoding="utf-8")
    path = tmp_path / "a=b.ttl"
    assert _named_graph(None, None, (f"http://ex.org/g={path}", str(path))) == [
        Source(path, "http://ex.org/g"), Source(path, path.resolve().as_uri())]
    result = runner.invoke(main, ["--root", str(tmp_path), "serve", "--named-graph", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "is not a file" in result.output


def test_an_unknown_default_graph_setting_is_refused(tmp_path, runner):
    result = runner.invoke(main, ["--root", str(tmp_path), "serve", "--data", __file__, "--default-graph", "all"])
    assert result.exit_code == 2 and "'all' is not one of 'union', 'default'" in result.output
    env = {"ECOGRAPH_DEFAULT_GRAPH": "everything"}
    (tmp_path / "d.ttl").write_text(RELATIVE, encoding="utf-8")
    result = runner.invoke(main, ["--root", str(tmp_path), "serve", "--data", str(tmp_path / "d.ttl")], env=env)
    assert result.exit_code == 2 and "unknown default_graph 'everything'" in result.output


def test_the_settings_are_declared():
    from ecograph.settings import load_settings

    settings = load_settings(environ={"ECOGRAPH_DEFAULT_GRAPH": "default", "ECOGRAPH_BASE_IRI": "http://ex.org/"})
    assert (settings.default_graph, settings.base_iri) == ("default", "http://ex.org/")
