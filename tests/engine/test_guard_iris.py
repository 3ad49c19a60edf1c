"""The guard resolves IRIs as the engine does (issue 13): a relative FROM / FROM NAMED / SERVICE IRI against the
query's BASE, else the base the endpoint gives the engine; a PREFIX's IRI against the BASE in force where it is
declared. Resolution is RFC 3986 section 5.2, checked against the RFC's own examples and against pyoxigraph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecograph.engine import guard

RFC_BASE = "http://a/b/c/d;p?q"
# RFC 3986 section 5.4.1 (normal) and 5.4.2 (abnormal) examples: reference -> target
RFC_EXAMPLES = {
    "g:h": "g:h", "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/", "/g": "http://a/g",
    "//g": "http://g", "?y": "http://a/b/c/d;p?y", "g?y": "http://a/b/c/g?y", "#s": "http://a/b/c/d;p?q#s",
    "g#s": "http://a/b/c/g#s", "g?y#s": "http://a/b/c/g?y#s", ";x": "http://a/b/c/;x", "g;x": "http://a/b/c/g;x",
    "g;x?y#s": "http://a/b/c/g;x?y#s", "": "http://a/b/c/d;p?q", ".": "http://a/b/c/", "./": "http://a/b/c/",
    "..": "http://a/b/", "../": "http://a/b/", "../g": "http://a/b/g", "../..": "http://a/", "../../": "http://a/",
    "../../g": "http://a/g",
    "../../../g": "http://a/g", "../../../../g": "http://a/g", "/./g": "http://a/g", "/../g": "http://a/g",
    "g.": "http://a/b/c/g.", ".g": "http://a/b/c/.g", "g..": "http://a/b/c/g..", "..g": "http://a/b/c/..g",
    "./../g": "http://a/b/g", "./g/.": "http://a/b/c/g/", "g/./h": "http://a/b/c/g/h", "g/../h": "http://a/b/c/h",
    "g;x=1/./y": "http://a/b/c/g;x=1/y", "g;x=1/../y": "http://a/b/c/y", "g?y/./x": "http://a/b/c/g?y/./x",
    "g?y/../x": "http://a/b/c/g?y/../x", "g#s/./x": "http://a/b/c/g#s/./x", "g#s/../x": "http://a/b/c/g#s/../x",
    "http:g": "http:g",
}
# Beyond the RFC's base: other schemes, fragments, and where pyoxigraph keeps a reference as written
MORE = [
    ("", "http://ex.org/q.rq#frag", "http://ex.org/q.rq"),  # <> is the base without its fragment
    ("#frag", "http://ex.org/q.rq#old", "http://ex.org/q.rq#frag"),
    ("data.ttl", "file:///suite/dataset/q.rq", "file:///suite/dataset/data.ttl"),
    ("b", "urn:ex:a", "urn:b"), ("#f", "urn:ex:a", "urn:ex:a#f"), ("../b", "urn:a/b/c", "urn:a/b"),
    ("b", "http://a", "http://a/b"),  # an authority and an empty path: the merge starts with "/"
    ("http://a/b/../c", "http://x/", "http://a/b/../c"),  # a reference with a scheme is kept as written
    ("//h/a/../p", "http://x/", "http://h/a/../p"),  # so is one with an authority
]


def _engine(reference: str, base: str) -> str:
    """What pyoxigraph makes of <reference> in a query with base IRI base."""
    return next(iter(ox.Store().query(f"SELECT (<{reference}> AS ?x) {{}}", base_iri=base)))["x"].value


@pytest.mark.parametrize("reference", sorted(RFC_EXAMPLES))
def test_rfc_3986_examples(reference):
    assert guard.resolve_iri(reference, RFC_BASE) == RFC_EXAMPLES[reference] == _engine(reference, RFC_BASE)


@pytest.mark.parametrize(("reference", "base", "target"), MORE)
def test_resolution_is_the_engines(reference, base, target):
    assert guard.resolve_iri(reference, base) == target == _engine(reference, base)


def test_a_relative_reference_without_an_absolute_base_is_not_resolved():
    assert guard.resolve_iri("g", None) is None
    assert guard.resolve_iri("g", "relative/base") is None
    assert guard.resolve_iri("http://a/g", None) == "http://a/g"


ENDPOINT = "http://127.0.0.1:8080/sparql"
GRAPHS = {"http://ex.org/data/g1", "http://ex.org/data/g2", "http://ex.org/g3", "http://127.0.0.1:8080/g4", "http://ex.org/q.rq"}


@pytest.mark.parametrize(("query", "default", "named"), [
    ("BASE <http://ex.org/data/> SELECT * FROM <g1> FROM NAMED <g2> {}", ["http://ex.org/data/g1"], ["http://ex.org/data/g2"]),
    ("SELECT * FROM <g4> {}", ["http://127.0.0.1:8080/g4"], []),  # no BASE: the endpoint's URL is the base
    ("BASE <http://ex.org/data/x> SELECT * FROM <../g3> {}", ["http://ex.org/g3"], []),
    ("BASE <http://ex.org/q.rq#here> SELECT * FROM <> {}", ["http://ex.org/q.rq"], []),  # <>: the base, no fragment
    ("BASE <http://ex.org/> BASE <data/> SELECT * FROM <g1> {}", ["http://ex.org/data/g1"], []),  # a BASE resolves against the last
    ("BASE </data/> SELECT * FROM <g1> {}", [], []),  # against the endpoint: http://127.0.0.1:8080/data/g1, refused below
    # a PREFIX is resolved where it is declared: a later BASE does not move it
    ("BASE <http://ex.org/data/> PREFIX d: <> BASE <http://other/> SELECT * FROM d:g1 FROM NAMED <http://ex.org/g3> {}",
     ["http://ex.org/data/g1"], ["http://ex.org/g3"]),
    ("BASE <http://ex.org/> PREFIX d: <data/> SELECT * FROM d:g2 FROM <q.rq#x> {}", None, None),  # <q.rq#x> is not a graph
    ("PREFIX : <http://ex.org/data/> SELECT * FROM :g1 {}", ["http://ex.org/data/g1"], []),
])
def test_issue_13_from_is_checked_as_the_engine_resolves_it(query, default, named):
    if not default and not named:
        with pytest.raises(guard.Refused, match="is outside the dataset"):
            guard.analyse(query, GRAPHS, base_iri=ENDPOINT)
        return
    analysis = guard.analyse(query, GRAPHS, base_iri=ENDPOINT)
    assert (analysis.from_graphs, analysis.from_named) == (default, named)


def test_the_analysis_gives_the_base_of_the_protocols_iris():
    assert guard.analyse("SELECT * {}", set(), base_iri=ENDPOINT).base == ENDPOINT
    assert guard.analyse("BASE <http://ex.org/a/> BASE <b/> SELECT * {}", set(), base_iri=ENDPOINT).base == "http://ex.org/a/b/"
    # ?base after the form is a variable, not a BASE
    assert guard.analyse("SELECT * { ?s ?p ?o . ?base <http://p> <http://x/> }", set(), base_iri=ENDPOINT).base == ENDPOINT


def test_a_relative_from_without_a_base_is_refused_with_its_reason():
    with pytest.raises(guard.Refused, match="relative IRI and the query has no base"):
        guard.analyse("SELECT * FROM <g1> {}", GRAPHS)


def test_service_is_resolved_too():
    allowed = frozenset({"http://ex.org/sparql"})
    assert guard.analyse("BASE <http://ex.org/q> SELECT * { SERVICE <sparql> {} }", set(), allowed, ENDPOINT).form == "SELECT"
    with pytest.raises(guard.Refused, match="SERVICE <http://127.0.0.1:8080/other>"):
        guard.analyse("SELECT * { SERVICE <other> {} }", set(), allowed, ENDPOINT)


def test_the_cache_keeps_bases_apart():
    query = "SELECT * FROM <g1> {}"
    assert guard.analyse_once(query, frozenset(GRAPHS), frozenset(), "http://ex.org/data/").from_graphs == ["http://ex.org/data/g1"]
    with pytest.raises(guard.Refused):
        guard.analyse_once(query, frozenset(GRAPHS), frozenset(), "http://elsewhere/")
