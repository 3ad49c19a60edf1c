"""ecograph on a remote store: a real Virtuoso (Debian's virtuoso-opensource-7, started on loopback and
bulk-loaded by ecograph/tools/virtuoso.py) behind ecograph's own front. The same requests go to the front on the
embedded store and on Virtuoso, and must get the same answers, except for the differences listed here and in
the README (each one a named query Virtuoso 7.2.5 answers wrongly or fails on; strict, so a fixed one shows)."""

from __future__ import annotations

import json

import pytest
import rdflib
import rdflib.compare

from ecograph.cli import main
from ecograph.engine.job import Job
from ecograph.engine.remote import StoreUnavailable, check_counts
from ecograph.queries import catalogue
from tests.helpers.virtuoso_known import KNOWN_DIFFERENCES

QUERIES = sorted(catalogue())



@pytest.fixture(scope="module")
def remote(virtuoso_app):
    return virtuoso_app.test_client()


def _normal(term: dict) -> dict:
    """A result term, with the numeric and boolean differences that are only of type made equal: Virtuoso
    returns computed booleans (EXISTS, BOUND) as xsd:integer 0/1, and a sum of nothing as an integer 0."""
    datatype = term.get("datatype", "")
    if datatype.rsplit("#", 1)[-1] in ("integer", "decimal", "double", "float", "int", "long"):
        return {"number": float(term["value"])}
    if datatype.endswith("#boolean"):
        return {"number": 1.0 if term["value"] in ("true", "1") else 0.0}
    if term["type"] == "literal" and " " in term["value"] and "xml:lang" not in term:
        return {**term, "value": " ".join(sorted(term["value"].split()))}  # GROUP_CONCAT: no fixed order
    if term["type"] == "typed-literal":
        return {**term, "type": "literal"}
    return term


def _rows(response) -> list[str]:
    body = response.get_json()
    return sorted(json.dumps({k: _normal(v) for k, v in b.items()}, sort_keys=True) for b in body["results"]["bindings"])


def test_the_store_holds_the_build_and_a_wrong_one_is_refused(virtuoso, built_root):
    counts = json.loads((built_root / "dist" / "build.json").read_text())["graphs"]
    check_counts(virtuoso.endpoint, counts)
    with pytest.raises(StoreUnavailable, match="does not hold this build"):
        check_counts(virtuoso.endpoint, {**counts, next(iter(counts)): 1})


def test_load_again_through_the_cli_replaces_the_graphs(virtuoso, built_root, runner):
    result = runner.invoke(main, ["--root", str(built_root), "load", "--into", virtuoso.isql])
    assert result.exit_code == 0, result.output
    assert "loaded" in result.stderr
    check_counts(virtuoso.endpoint, json.loads((built_root / "dist" / "build.json").read_text())["graphs"])


def test_load_into_something_else_is_a_usage_error(built_root, runner):
    result = runner.invoke(main, ["--root", str(built_root), "load", "--into", "http://127.0.0.1:9/sparql"])
    assert result.exit_code == 2 and "isql://" in result.stderr


@pytest.mark.parametrize("query", [
    "ASK { program:13 ?p ?o }", "ASK { program:999 ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT ?n ?l WHERE { ?p ecograph:programNumber ?n ; rdfs:label ?l FILTER(LANG(?l) = 'ja') }",
])
@pytest.mark.parametrize("layer", [None, "stated", "interpreted", "inferred"])
def test_protocol_answers_agree(client, remote, query, layer):
    params = {"query": query, "format": "json", **({"layer": layer} if layer else {})}
    a, b = client.get("/sparql", query_string=params), remote.get("/sparql", query_string=params)
    assert a.status_code == b.status_code == 200, b.get_data(as_text=True)
    if "boolean" in a.get_json():
        assert a.get_json()["boolean"] == b.get_json()["boolean"]
    else:
        assert _rows(a) == _rows(b)


@pytest.mark.parametrize("fmt, media", [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                                        ("csv", "text/csv"), ("tsv", "text/tab-separated-values")])
def test_result_formats(remote, fmt, media):
    r = remote.get("/sparql", query_string={"query": "SELECT ?n WHERE { ?p ecograph:programNumber ?n } ORDER BY ?n", "format": fmt})
    assert r.status_code == 200 and r.content_type.startswith(media)


def test_construct_is_the_same_graph(client, remote):
    q = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/ecograph/graph/stated> { ?s ?p ?o } }", "format": "nt"}
    a, b = rdflib.Graph().parse(data=client.get("/sparql", query_string=q).data, format="nt"), \
        rdflib.Graph().parse(data=remote.get("/sparql", query_string=q).data, format="nt")
    assert len(a) == len(b) > 1000
    assert rdflib.compare.isomorphic(a, b)


@pytest.mark.parametrize("kwargs, status", [
    ({"query_string": {"update": "DROP ALL"}}, 403),
    ({"query_string": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, 403),
    ({"query_string": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}}, 400),
    ({"query_string": {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"}}, 400),
    ({"query_string": {"query": "SELEC nonsense"}}, 400),
])
def test_refusals_happen_in_front_of_the_store(remote, kwargs, status):
    r = remote.get("/sparql", **kwargs)
    assert r.status_code == status
    assert r.get_json()["ok"] is False


def test_the_engines_own_graphs_never_show(remote):
    r = remote.get("/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "json"})
    graphs = {b["g"]["value"] for b in r.get_json()["results"]["bindings"]}
    assert graphs and all(g.startswith("https://w3id.org/ecograph/graph/") for g in graphs)


def test_graph_store_protocol_gives_the_same_graph(client, remote):
    q = {"graph": "https://w3id.org/ecograph/graph/interpreted"}
    a = client.get("/rdf-graph-store", query_string=q, headers={"Accept": "application/n-triples"})
    b = remote.get("/rdf-graph-store", query_string=q, headers={"Accept": "application/n-triples"})
    assert a.status_code == b.status_code == 200
    assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=a.data, format="nt"), rdflib.Graph().parse(data=b.data, format="nt"))


def test_linked_data_pages_and_data_agree(client, remote):
    r = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?p WHERE { ?p a ecograph:SupportProgram }", "format": "json"})
    programs = [b["p"]["value"] for b in r.get_json()["results"]["bindings"]]
    assert len(programs) >= 35
    for iri in programs:
        path = iri.replace("https://w3id.org/ecograph/", "/")
        a, b = client.get("/data" + path + ".nt"), remote.get("/data" + path + ".nt")
        assert a.status_code == b.status_code == 200, path
        assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=a.data, format="nt"),
                                         rdflib.Graph().parse(data=b.data, format="nt")), path
        page = remote.get("/doc" + path + "?lang=en")
        assert page.status_code == 200 and b"open in SPARQL" in page.data.replace(b"Open", b"open")


def test_a_real_server_on_virtuoso(built_root, virtuoso):
    from SPARQLWrapper import JSON, SPARQLWrapper

    from tests.helpers.servers import running_server

    with running_server(built_root, env={"ECOGRAPH_STORE": virtuoso.endpoint}) as (base, _):
        client = SPARQLWrapper(base + "/sparql")
        client.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?p a ecograph:SupportProgram }")
        client.setReturnFormat(JSON)
        rows = client.query().convert()["results"]["bindings"]
        assert int(rows[0]["n"]["value"]) >= 35
        import urllib.request

        with urllib.request.urlopen(base + "/queries/programs?format=csv", timeout=30) as r:
            assert r.status == 200 and len(r.read().splitlines()) > 30
        with urllib.request.urlopen(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=30) as r:
            assert json.load(r)["boolean"] is True


@pytest.mark.parametrize("name", QUERIES)
def test_named_queries_give_the_same_answers(client, remote, name):
    if name in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[name])
    a = client.get(f"/queries/{name}?format=json")
    b = remote.get(f"/queries/{name}?format=json")
    assert a.status_code == 200
    assert b.status_code == 200, b.get_data(as_text=True)
    assert _rows(a) == _rows(b)


# each other layer (the dataset, engine/job.py) for the queries that show theirs, and each other choice of a parameter
CHOICES = [(name, "layer", layer) for name, q in sorted(catalogue().items()) if "?layer" in q.text
           for layer in ("stated", "interpreted", "inferred")]
CHOICES += [(name, p.name, choice) for name, q in sorted(catalogue().items()) for p in q.params
            for choice in (p.choices() or ()) if choice != p.default]


@pytest.mark.parametrize("name, param, choice", CHOICES)
def test_issue_6_named_queries_agree_with_each_choice_of_their_parameters(client, remote, name, param, choice):
    """Not only the defaults: each other layer, and each other allowed value, reaches other parts of the queries."""
    if name in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[name])
    a = client.get(f"/queries/{name}?format=json&{param}={choice}")
    b = remote.get(f"/queries/{name}?format=json&{param}={choice}")
    assert a.status_code == 200
    assert b.status_code == 200, b.get_data(as_text=True)
    assert _rows(a) == _rows(b)


@pytest.mark.parametrize("name", sorted(KNOWN_DIFFERENCES))
def test_the_known_differences_still_differ(client, remote, name):
    """Strict: when Virtuoso (or ecograph's binding) stops differing on one, it leaves the list."""
    a = client.get(f"/queries/{name}?format=json")
    b = remote.get(f"/queries/{name}?format=json")
    assert b.status_code != 200 or _rows(a) != _rows(b), f"{name} now agrees: take it off KNOWN_DIFFERENCES and the README"
    assert b.status_code in (200, 400, 503), "a difference is an answer or a clear error, never a 500"


# Issue 6: a sub-SELECT DISTINCT in an OPTIONAL's group, after other patterns. Virtuoso 7.2.5 evaluates it once for
# each row that reaches it and, past its first vector of such rows (VectorSize, 1000), loses rows. Here 40 issues of
# one group meet 40 lines whose names contain the group's: 1600 rows reach it. In a graph of its own, apart from
# the build's.
NESTED_GRAPH = "urn:x-ecograph:test:issue-6"
NESTED_DATA = "\n".join(
    ['<http://example.org/g> <http://example.org/name> "x"@ja .']
    + [f"<http://example.org/issue{i}> a <http://example.org/Issue> ; <http://example.org/group> <http://example.org/g> ."
       for i in range(40)]
    + [f'<http://example.org/line{i}> a <http://example.org/Line> ; <http://example.org/name> "x{i}"@ja .' for i in range(40)])
NESTED_QUERY = """PREFIX : <http://example.org/>
SELECT ?issue ?line WHERE {
  ?issue a :Issue ; :group ?group .
  OPTIONAL { %s }
}"""
NESTED_LINES = """?group :name ?name . FILTER (LANG(?name) = "ja")
    ?line a :Line ; :name ?lineName . FILTER (LANG(?lineName) = "ja" && CONTAINS(?lineName, ?name))"""
NESTED_FORMS = {
    # The minimal form Virtuoso answered wrongly (coverage-hearing-issues had it until issue 6), kept as a record:
    # whether it loses rows depends on the plan Virtuoso picks from its statistics, so no test insists that it does
    # (a clean CI run once gave every row).
    "sub-SELECT DISTINCT": NESTED_QUERY % ("{ SELECT DISTINCT ?group WHERE { ?other a :Issue ; :group ?group } }\n    "
                                          + NESTED_LINES),
    # the form the named queries use: the patterns themselves, the repeats removed by the OPTIONAL's own DISTINCT
    "patterns": NESTED_QUERY % ("SELECT DISTINCT ?group ?line WHERE { ?other a :Issue ; :group ?group .\n    "
                                + NESTED_LINES + " }"),
}


@pytest.fixture(scope="module")
def nested_graph(virtuoso):
    """NESTED_DATA loaded into a graph of its own in the session's Virtuoso (removed afterwards), and the same
    triples in an embedded store."""
    import os

    import pyoxigraph as ox

    from ecograph.tools.virtuoso import _isql

    address = virtuoso.isql.removeprefix("isql://")
    password = os.environ.get("ECOGRAPH_VIRTUOSO_PASSWORD", "dba")
    _isql(address, f"SPARQL CLEAR GRAPH <{NESTED_GRAPH}>; DB.DBA.TTLP('{NESTED_DATA}', '', '{NESTED_GRAPH}');", "dba", password)
    store = ox.Store()
    store.load(NESTED_DATA.encode(), format=ox.RdfFormat.TURTLE)
    try:
        yield store
    finally:
        _isql(address, f"SPARQL CLEAR GRAPH <{NESTED_GRAPH}>;", "dba", password)


def _nested_answers(virtuoso, store, query) -> tuple[list, list]:
    from ecograph.engine.remote import RemotePool

    remote = RemotePool(virtuoso.endpoint, [NESTED_GRAPH]).run(Job(query, 10_000), 30)
    embedded = [tuple(None if t is None else t.value for t in s) for s in store.query(query)]
    return sorted(embedded, key=str), sorted(((r[0][1], r[1] and r[1][1]) for r in remote.rows), key=str)


def test_issue_6_the_patterns_themselves_give_every_row_on_virtuoso(virtuoso, nested_graph):
    embedded, remote = _nested_answers(virtuoso, nested_graph, NESTED_FORMS["patterns"])
    assert len(embedded) == 1600
    assert remote == embedded


# Issue 15: coverage-hearing-issues past one vector (VectorSize, 1000) of issues with a group. It finds the programs
# of each group once, in a sub-SELECT DISTINCT joined to the issues; without the LIMIT on it, Virtuoso 7.2.5 found them
# again for each issue's group where its plan put the issues first, and lost rows (at 1M triples with 1,500 more
# issues, 259 rows of 517 in layer=stated; at this size its plan finds the programs first either way). The build's
# graphs copied into a graph of their own with 1,600 more issues, 1,200 of them in a group, on both stores.
MANY_ISSUES_GRAPH = "urn:x-ecograph:test:issue-15"
MANY_ISSUES = [
    f"<http://example.org/issue{i}> a ecograph:HearingIssue ; ecograph:position {100 + i} ;"
    f' rdfs:label "issue {i}"@en , "issue {i}"@ja'
    + ("" if i % 4 == 3 else f" ; dcterms:subject group:{('funding', 'seeds', 'human-resources')[i % 4]}") + " ."
    for i in range(1600)]
MANY_ISSUES_PREFIXES = ("@prefix ecograph: <https://w3id.org/ecograph/ontology#> . "
                        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
                        "@prefix dcterms: <http://purl.org/dc/terms/> . "
                        "@prefix group: <https://w3id.org/ecograph/id/issue-group/> . ")


def _issue_rows(variables, rows) -> list[tuple]:
    """(issue, group_en, programs, program keys) of each row, as values comparable across the two stores."""
    at = {v: variables.index(v) for v in ("issue", "group_en", "programs", "program_keys")}
    return sorted((r[at["issue"]], r[at["group_en"]] or "", int(r[at["programs"]]), " ".join(sorted(r[at["program_keys"]].split())))
                  for r in rows)


def test_issue_15_coverage_hearing_issues_gives_every_row_on_virtuoso_past_1000_issues(virtuoso, built_root):
    import os

    import pyoxigraph as ox

    from ecograph.engine.remote import RemotePool
    from ecograph.namespaces import GRAPH, PREFIXES
    from ecograph.tools.virtuoso import _isql

    address = virtuoso.isql.removeprefix("isql://")
    password = os.environ.get("ECOGRAPH_VIRTUOSO_PASSWORD", "dba")
    build_graphs = f'GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{GRAPH}"))'
    copy = f"SPARQL INSERT INTO GRAPH <{MANY_ISSUES_GRAPH}> {{ ?s ?p ?o }} WHERE {{ {build_graphs} }};"
    chunks = [MANY_ISSUES[i:i + 400] for i in range(0, len(MANY_ISSUES), 400)]
    store = ox.Store()
    store.bulk_load(path=str(built_root / "dist" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    store.update(f"INSERT {{ GRAPH <{MANY_ISSUES_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ {build_graphs} }}")
    for chunk in chunks:
        store.load((MANY_ISSUES_PREFIXES + "\n".join(chunk)).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(MANY_ISSUES_GRAPH))
    try:
        _isql(address, f"SPARQL CLEAR GRAPH <{MANY_ISSUES_GRAPH}>; {copy}", "dba", password)
        for chunk in chunks:
            _isql(address, f"DB.DBA.TTLP('{MANY_ISSUES_PREFIXES}{' '.join(chunk)}', '', '{MANY_ISSUES_GRAPH}');", "dba", password)
        query = catalogue()["coverage-hearing-issues"].text
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
        graph = (MANY_ISSUES_GRAPH,)
        job = Job(query, 100_000, prefixes=prefixes, substitutions={"layer": ("literal", "stated", None, None)}).in_layer(graph)
        answer = RemotePool(virtuoso.endpoint, list(graph)).run(job, 30)
        remote = _issue_rows(answer.variables, [[None if t is None else t[1] for t in row] for row in answer.rows])
        solutions = store.query(query, prefixes=prefixes, substitutions={ox.Variable("layer"): ox.Literal("stated")},
                                default_graph=[ox.NamedNode(MANY_ISSUES_GRAPH)], named_graphs=[ox.NamedNode(MANY_ISSUES_GRAPH)])
        variables = [v.value for v in solutions.variables]
        embedded = _issue_rows(variables, [[None if s[v] is None else s[v].value for v in variables] for s in solutions])
    finally:
        _isql(address, f"SPARQL CLEAR GRAPH <{MANY_ISSUES_GRAPH}>;", "dba", password)
    assert len(embedded) == 1611 and sum(1 for r in embedded if r[1]) > 1200  # more than 1000 issues' groups
    assert sum(r[2] for r in embedded) > 10_000  # and programs for them
    assert remote == embedded


def test_a_runaway_query_is_stopped_and_the_store_goes_on(remote):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    r = remote.get("/sparql", query_string={"query": heavy, "timeout": "2"})
    assert r.status_code == 503
    r = remote.get("/sparql", query_string={"query": "ASK { program:13 ?p ?o }", "format": "json"})
    assert r.status_code == 200 and r.get_json()["boolean"] is True
