"""Parameters on a remote store: with no binding protocol in SPARQL, ecograph writes them into the query as
BINDs from typed terms (ecograph/engine/remote.py). Shown equal to the embedded engine's own binding for every named
query, on the embedded engine itself, so that no remote store is needed here; and never open to injection."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecograph.engine.job import Job
from ecograph.engine.remote import bind, dataset, term_text
from ecograph.errors import QueryError
from ecograph.queries import catalogue
from tests.helpers.rows import oxigraph_rows as _rows

QUERIES = catalogue()


@pytest.fixture(scope="module")
def store(built_root):
    s = ox.Store()
    s.bulk_load(path=str(built_root / "dist" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return s


def _variants(query):
    """The defaults, and each parameter's other allowed values (a layer of stated and of all)."""
    yield {}
    for p in query.params:
        for choice in p.choices() or ():
            yield {p.name: choice}


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.params))
def test_written_binds_give_the_engines_own_answers(store, name):
    query = QUERIES[name]
    for values in _variants(query):
        substitutions = {k: (t.kind, t.value, t.datatype, t.language) for k, t in query.bindings(values).items()}
        expected = _rows(store, query.text, substitutions)
        assert _rows(store, bind(query.text, substitutions)) == expected, values


def test_binds_go_into_every_group_that_names_the_parameter_and_never_into_text():
    text = """# a comment with { a brace and ?layer
SELECT ?x ?layer WHERE {
  { SELECT ?x ?layer WHERE { ?x ?p "?layer { not a group }" . FILTER (?layer = "all") } }
  OPTIONAL { ?x <urn:p#x> ?y FILTER (?layer != "none") }
  VALUES ?z { 1 2 }
}"""
    out = bind(text, {"layer": ("literal", "all", None, None)})
    assert out.count('BIND ("all" AS ?layer)') == 3  # the outer group, the sub-SELECT's, the OPTIONAL's
    assert "# a comment with { a brace and ?layer\n" in out and '"?layer { not a group }"' in out
    assert "VALUES ?z { 1 2 }" in out and "{ SELECT ?x ?layer" in out  # a sub-SELECT stands alone in its group


def test_issue_6_binds_in_a_graph_group_stand_in_a_group_of_their_own():
    """Virtuoso 7.2.5 returns no row from `GRAPH ?g { BIND (…) … }`; `GRAPH ?g { { BIND (…) } … }` is the same join."""
    text = """SELECT ?p WHERE {
  GRAPH ?g { ?line ecograph:stakeholder ?stakeholder }
  GRAPH <urn:g> { ?p ecograph:phase ?stakeholder OPTIONAL { ?p ?q ?stakeholder } }
  GRAPH ex:g { ?p ?q ?stakeholder }
  GRAPH ?g { ?p ?q ?o }
}"""
    out = " ".join(bind(text, {"stakeholder": ("uri", "urn:s", None, None)}).split())
    assert out.startswith("SELECT ?p WHERE { BIND (<urn:s> AS ?stakeholder) GRAPH ?g")
    for graph, first in (("?g", "?line"), ("<urn:g>", "?p"), ("ex:g", "?p")):
        assert f"GRAPH {graph} {{ {{ BIND (<urn:s> AS ?stakeholder) }} {first} " in out
    assert "OPTIONAL { BIND (<urn:s> AS ?stakeholder) ?p" in out  # an ordinary group inside: a plain BIND
    assert "GRAPH ?g { ?p ?q ?o }" in out


@pytest.mark.parametrize("term, written", [
    (("literal", 'a" } ; DROP ALL ; #', None, None), '"a\\" } ; DROP ALL ; #"'),
    (("literal", "x\\", None, "en"), '"x\\\\"@en'),
    (("literal", "3", "http://www.w3.org/2001/XMLSchema#integer", None), '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    (("uri", "https://w3id.org/ecograph/id/program/13", None, None), "<https://w3id.org/ecograph/id/program/13>"),
])
def test_terms_are_written_escaped(term, written):
    assert term_text(term) == written


@pytest.mark.parametrize("term", [("uri", "urn:a> } DROP ALL { <urn:b", None, None), ("literal", "x", None, "en} DROP"),
                                  ("bnode", "b0", None, None)])
def test_terms_that_would_break_out_are_refused(term):
    with pytest.raises(QueryError):
        term_text(term)


def test_the_dataset_is_always_explicit():
    graphs = ["urn:g1", "urn:g2"]
    assert dataset(Job("", 1), graphs) == [("default-graph-uri", "urn:g1"), ("default-graph-uri", "urn:g2"),
                                   ("named-graph-uri", "urn:g1"), ("named-graph-uri", "urn:g2")]
    empty = dataset(Job("", 1, default_graphs=(), named_graphs=()), graphs)
    assert ("default-graph-uri", "urn:x-ecograph:empty") in empty and ("named-graph-uri", "urn:x-ecograph:empty") in empty
    assert dataset(Job("", 1, default_graphs=("urn:g2",)), graphs)[0] == ("default-graph-uri", "urn:g2")
