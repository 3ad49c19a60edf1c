"""The W3C SPARQL 1.0 and 1.1 query-evaluation tests (w3c/rdf-tests, vendored in tests/w3c/sparql/), run through
a real `ecograph serve`, with raw pyoxigraph as the control in the same run (issue 13).

The cases: every mf:QueryEvaluationTest and mf:CSVResultFormatTest reachable from sparql10/manifest-evaluation.ttl,
sparql11/manifest-sparql11-query.ttl and sparql11/manifest-sparql11-results.ttl: 283 of SPARQL 1.0 and 235 of
SPARQL 1.1, 518 in all. Not vendored, so not run: upstream's sparql11/manifest-all.ttl also lists 94 update
evaluation tests (the endpoint is read-only), 70 entailment tests (ecograph's endpoint has simple entailment), 7
federation (SERVICE) tests (the endpoint never opens a connection), and the syntax, protocol, service-description
and graph-store tests (the protocol and service-description ones run in test_w3c_protocol.py).

Each case runs twice:
- raw: a fresh in-process pyoxigraph.Store, qt:data in its default graph, qt:graphData (and the graphs a query
  names in FROM / FROM NAMED) as named graphs named by their file: URLs, the query parsed with the query file's
  URL as base: the W3C's own set-up;
- endpoint: one `ecograph serve --default-graph default` subprocess for the whole module serves every file of the
  suite as a named graph (`--named-graph FILE`, named by its file: URL, read with that URL as base). Each query is
  sent over HTTP with its test's dataset in the protocol (default-graph-uri = its qt:data, named-graph-uri = its
  qt:graphData; the store's own default graph, empty here, for a test with no data), unless the query has FROM /
  FROM NAMED, whose dataset is then the query's own. The query text gets `BASE <its file's URL>` in front: the
  base the W3C gives a query, which a client can only send in the text (a later BASE in the query resolves
  against it, as it would). The answer is asked in the expected result's format (XML, JSON, TSV, CSV; Turtle or
  RDF/XML for graphs; JSON for results written as RDF), so the endpoint's serialisers are judged too.

Answers are compared as RDF terms (lexical form, datatype, language tag, which RDF 1.1 compares in lower case):
solutions as a multiset with blank nodes matched by a bijection, in order only under the outer ORDER BY (and as
a set under mf:LaxCardinality); ASK by its boolean; CONSTRUCT / DESCRIBE graphs by isomorphism (RDFC-1.0
canonical forms); CSV answers by their text cells, blank-node labels by a bijection.

The rule: every case raw pyoxigraph passes passes through the endpoint. The cases raw pyoxigraph fails are
EXPECTED_FAILURES, each with its cause; it is strict, so a case that starts passing (a pyoxigraph upgrade) fails
until its entry is removed, and the endpoint must fail them too (it is that engine). With pyoxigraph 0.5.13: raw
469 of 518, the endpoint the same 469. The 49 others: 36 are the store's canonical literals (README, "Terms"), 5
the scope of GRAPH's variable, 4 zero-length paths from a constant absent from the data, 2 GROUP_CONCAT of
language-tagged literals, 1 upper-case TRUE / False, 1 BNODE(str). Before issue 13, 13 of the 469 were refused by
the endpoint (400, FROM <data-g1.ttl> "outside the dataset": the guard did not resolve relative IRIs).
"""

from __future__ import annotations

import http.client
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlencode, urljoin

import pyoxigraph as ox
import pytest

from ecograph.engine import guard
from tests.helpers.paths import W3C
from tests.helpers.servers import running_server
from tests.helpers.sparql_answers import RS, Answer, csv_rows, graph, rdf_results, same, solutions, values

SUITE = W3C / "sparql"
MANIFESTS = ("sparql10/manifest-evaluation.ttl", "sparql11/manifest-sparql11-query.ttl", "sparql11/manifest-sparql11-results.ttl")
NOT_VENDORED = {"sparql11/syntax-query/manifest.ttl"}  # syntax tests only
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
STORE_DEFAULT_GRAPH = "urn:x-arq:DefaultGraph"  # the store's own default graph (ecograph.engine.serving.DEFAULT_GRAPH_IRI)
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}
RESULT_FORMATS = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON, ".tsv": ox.QueryResultsFormat.TSV}
MEDIA = {".srx": "application/sparql-results+xml", ".srj": "application/sparql-results+json", ".tsv": "text/tab-separated-values",
         ".csv": "text/csv", ".ttl": "text/turtle", ".rdf": "application/rdf+xml"}
ANSWER_FORMATS = {"application/sparql-results+xml": ox.QueryResultsFormat.XML, "application/sparql-results+json": ox.QueryResultsFormat.JSON,
                  "text/tab-separated-values": ox.QueryResultsFormat.TSV}
ANSWER_GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}

# Why raw pyoxigraph (0.5) fails a case. The first is ecograph's documented difference (README, "Terms"): the store
# keeps a typed literal in its canonical form, so an answer shows "1" for "01"^^xsd:integer, "1000000" for
# "1.0E6"^^xsd:double, "false" for "0"^^xsd:boolean, "5"^^xsd:integer for "5"^^xsd:int, and literals written
# differently with one value become one term.
CANONICAL = "the store keeps typed literals in canonical form: the answer's lexical forms differ from the data's"
CANONICAL_TERMS = "the store keeps typed literals in canonical form: lexically different literals of one value become one term"
GRAPH_SCOPE = ("GRAPH ?g { P }: ?g is already bound inside P (an OPTIONAL, MINUS, VALUES, FILTER or sub-SELECT "
               "there sees it); the suite's newer cases expect GRAPH alone to bind it, after P")
ZERO_LENGTH = "a zero-length path (* or ?) from or to a constant absent from the data gives no row; the constant is expected"
# The cases raw pyoxigraph fails, each with its cause. Strict: a case listed here that passes raw fails the run.
EXPECTED_FAILURES: dict[str, str] = {
    "sparql10/distinct/distinct-1": CANONICAL_TERMS,
    "sparql10/distinct/distinct-9": CANONICAL_TERMS,
    "sparql10/distinct/no-distinct-1": CANONICAL,
    "sparql10/distinct/no-distinct-9": CANONICAL,
    "sparql10/expr-builtin/case-insensitive-booleans": "TRUE and False (keywords are case-insensitive) are a syntax error",
    "sparql10/expr-builtin/dawg-str-1": CANONICAL_TERMS,
    "sparql10/expr-builtin/dawg-str-2": CANONICAL_TERMS,
    "sparql10/expr-builtin/sameTerm-eq": CANONICAL_TERMS,
    "sparql10/expr-builtin/sameTerm-not-eq": CANONICAL_TERMS,
    "sparql10/expr-builtin/sameTerm-simple": CANONICAL_TERMS,
    "sparql10/expr-equals/eq-graph-1": CANONICAL_TERMS,
    "sparql10/expr-equals/eq-graph-2": CANONICAL_TERMS,
    "sparql10/graph/graph-optional": GRAPH_SCOPE,
    "sparql10/graph/graph-variable-scope": GRAPH_SCOPE,
    "sparql10/open-world/date-2": CANONICAL_TERMS,
    "sparql10/open-world/date-3": CANONICAL,
    "sparql10/open-world/open-eq-01": CANONICAL_TERMS,
    "sparql10/open-world/open-eq-03": CANONICAL,
    "sparql10/open-world/open-eq-04": CANONICAL,
    "sparql11/aggregates/agg-avg-02": CANONICAL,
    "sparql11/aggregates/agg-empty-group-count-graph": GRAPH_SCOPE,
    "sparql11/aggregates/agg-err-02": CANONICAL,
    "sparql11/aggregates/agg-groupconcat-04": "GROUP_CONCAT of literals with one language tag keeps the tag; a simple literal is expected",
    "sparql11/aggregates/agg-groupconcat-06": "GROUP_CONCAT of literals with one language tag keeps the tag; a simple literal is expected",
    "sparql11/aggregates/agg-max-01": CANONICAL,
    "sparql11/aggregates/agg-max-02": CANONICAL,
    "sparql11/aggregates/agg-max-distinct": CANONICAL,
    "sparql11/aggregates/agg-min-01": CANONICAL,
    "sparql11/aggregates/agg-min-02": CANONICAL,
    "sparql11/aggregates/agg-min-distinct": CANONICAL,
    "sparql11/aggregates/agg-sum-02": CANONICAL,
    "sparql11/bindings/graph": GRAPH_SCOPE,
    "sparql11/cast/cast-bool": CANONICAL,
    "sparql11/cast/cast-decimal": CANONICAL,
    "sparql11/cast/cast-double": CANONICAL,
    "sparql11/cast/cast-float": CANONICAL,
    "sparql11/cast/cast-int": CANONICAL,
    "sparql11/cast/cast-string": CANONICAL,
    "sparql11/csv-tsv-res/csv03": CANONICAL,
    "sparql11/csv-tsv-res/tsv03": CANONICAL,
    "sparql11/functions/bnode01": "BNODE(str) gives the same blank node in every solution; one per solution is expected",
    "sparql11/functions/coalesce01": CANONICAL,
    "sparql11/functions/plus-1-corrected": CANONICAL,
    "sparql11/functions/plus-2-corrected": CANONICAL,
    "sparql11/negation/graph-minus": GRAPH_SCOPE,
    "sparql11/property-path/zero_or_more_set_end": ZERO_LENGTH,
    "sparql11/property-path/zero_or_more_set_start": ZERO_LENGTH,
    "sparql11/property-path/zero_or_one_set_end": ZERO_LENGTH,
    "sparql11/property-path/zero_or_one_set_start": ZERO_LENGTH,
}


# ------------------------------------------------------------------ the manifests

@dataclass(frozen=True)
class Case:
    name: str  # sparql10/basic/base-prefix-1: the manifest's folder and the test's local name
    csv_test: bool  # mf:CSVResultFormatTest
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path
    lax: bool  # mf:LaxCardinality: the number of duplicates may differ

    @property
    def from_graphs(self) -> tuple[list[Path], list[Path]]:
        """The files the query names in FROM and FROM NAMED (relative to the query, as in the suite)."""
        text = re.sub(r"#[^\n>]*\n", "\n", self.query.read_text(encoding="utf-8"))
        found: tuple[list[Path], list[Path]] = ([], [])
        for m in re.finditer(r"\bFROM\s+(NAMED\s+)?<([^>]*)>", text, re.IGNORECASE):
            found[bool(m.group(1))].append(_path(urljoin(self.query.as_uri(), m.group(2))))
        return found


def _path(iri: str) -> Path:
    assert iri.startswith("file://"), iri
    return Path(unquote(iri[len("file://"):]))


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


def _manifest_cases(relative: str) -> list[Case]:
    path = (SUITE / relative).resolve()
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    cases = []
    for (included,) in store.query(f"SELECT ?i WHERE {{ ?m <{MF}include>/<{RDF}rest>*/<{RDF}first> ?i }}"):
        name = str(_path(included.value).relative_to(SUITE.resolve()))
        if name not in NOT_VENDORED:
            cases += _manifest_cases(name)
    folder = str(path.parent.relative_to(SUITE.resolve()))
    for row in store.query(f"""SELECT ?test ?type WHERE {{ ?m <{MF}entries>/<{RDF}rest>*/<{RDF}first> ?test . ?test a ?type
                                 FILTER (?type IN (<{MF}QueryEvaluationTest>, <{MF}CSVResultFormatTest>)) }}"""):
        test = row["test"]
        action = values(store, test, MF + "action")[0]
        cases.append(Case(
            name=f"{folder}/{test.value.rsplit('#', 1)[-1]}",
            csv_test=row["type"].value == MF + "CSVResultFormatTest",
            query=_path(values(store, action, QT + "query")[0].value),
            data=tuple(sorted(_path(d.value) for d in values(store, action, QT + "data"))),
            graph_data=tuple(sorted(_path(d.value) for d in values(store, action, QT + "graphData"))),
            result=_path(values(store, test, MF + "result")[0].value),
            lax=any(v.value == MF + "LaxCardinality" for v in values(store, test, MF + "resultCardinality"))))
    return cases


CASES = sorted((case for manifest in MANIFESTS for case in _manifest_cases(manifest)), key=lambda case: case.name)


def test_every_case_is_found_once_and_every_listed_failure_is_a_case():
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert Counter(name.split("/")[0] for name in names) == {"sparql10": 283, "sparql11": 235}
    assert Counter(case.csv_test for case in CASES) == {False: 515, True: 3}
    assert set(EXPECTED_FAILURES) <= set(names), set(EXPECTED_FAILURES) - set(names)


def test_one_server_gives_each_case_its_own_dataset():
    """The endpoint's server holds each file once, where the W3C set-up reads a file that is both a case's qt:data
    and one of its qt:graphData twice: two copies, with blank nodes of their own. That is the same dataset only
    for files without blank nodes, which such files are."""
    for case in CASES:
        for path in set(case.data) & set(case.graph_data):
            quads = ox.parse(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=_uri(path))
            assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)), (case.name, path.name)


# ------------------------------------------------------------------ answers, as terms

def expected_answer(case: Case) -> Answer:
    suffix = case.result.suffix
    if case.csv_test:
        return csv_rows(case.result.read_text(encoding="utf-8"))
    if suffix in RESULT_FORMATS:
        parsed = ox.parse_query_results(path=str(case.result), format=RESULT_FORMATS[suffix])
        return Answer(boolean=bool(parsed)) if isinstance(parsed, ox.QueryBoolean) else solutions(parsed.variables, parsed)
    store = ox.Store()
    store.load(path=str(case.result), format=RDF_FORMATS[suffix], base_iri=_uri(case.result))
    if any(True for _ in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(RS + "ResultSet"))):
        return rdf_results(store)
    return graph(ox.Triple(q.subject, q.predicate, q.object) for q in store)


def ordered(case: Case) -> bool:
    """Whether the outer query has ORDER BY (one in a sub-SELECT orders nothing the answer shows)."""
    depth = 0
    toks = list(guard.tokens(case.query.read_text(encoding="utf-8")))
    for (kind, value), (_, after) in itertools.pairwise(toks):
        depth += (value == "{") - (value == "}")
        if depth == 0 and kind == "word" and value.upper() == "ORDER" and after.upper() == "BY":
            return True
    return False


# ------------------------------------------------------------------ raw pyoxigraph

def raw_answer(case: Case) -> Answer:
    store = ox.Store()
    for path in case.data:
        store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=_uri(path))
    from_default, from_named = case.from_graphs
    for path in dict.fromkeys([*case.graph_data, *from_default, *from_named]):
        store.add_graph(ox.NamedNode(_uri(path)))
        store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=_uri(path), to_graph=ox.NamedNode(_uri(path)))
    try:
        result = store.query(case.query.read_text(encoding="utf-8"), base_iri=_uri(case.query))
        if isinstance(result, ox.QueryBoolean):
            return Answer(boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            return graph(result)
        if case.csv_test:
            return csv_rows(result.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8"))
        return solutions(result.variables, result)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        return Answer(error=f"raw pyoxigraph: {type(exc).__name__}: {exc}")


# ------------------------------------------------------------------ the endpoint

def suite_files() -> list[Path]:
    """Every file a case reads as data: qt:data, qt:graphData and the graphs queries name in FROM / FROM NAMED."""
    files = {p for case in CASES for p in (*case.data, *case.graph_data, *case.from_graphs[0], *case.from_graphs[1])}
    return sorted(files)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    root = tmp_path_factory.mktemp("w3c-sparql")  # the server's project root: nothing is read from it
    args = ["--default-graph", "default"]
    for path in suite_files():
        args += ["--named-graph", str(path.resolve())]
    with running_server(root, args=tuple(args), env={"ECOGRAPH_QUERY_TIMEOUT_S": "10"}, log=root / "server.log") as (_, port):
        yield port


def endpoint_answer(port: int, case: Case, expected: Answer) -> Answer:
    text = case.query.read_text(encoding="utf-8")
    from_default, from_named = case.from_graphs
    params: list[tuple[str, str]] = []
    if not (from_default or from_named):  # the query's own FROM / FROM NAMED are its dataset; else the test's
        params = [("default-graph-uri", _uri(p)) for p in case.data] or [("default-graph-uri", STORE_DEFAULT_GRAPH)]
        params += [("named-graph-uri", _uri(p)) for p in case.graph_data]
    suffix = case.result.suffix
    media = MEDIA[suffix] if case.csv_test or suffix in RESULT_FORMATS or expected.graph is not None else "application/sparql-results+json"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/sparql?" + urlencode(params), body=f"BASE <{_uri(case.query)}>\n{text}".encode(),
                     headers={"Content-Type": "application/sparql-query", "Accept": media})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        return Answer(error=f"endpoint: {response.status} {body[:300].decode('utf-8', 'replace')}")
    answered = (response.getheader("Content-Type") or "").split(";")[0].strip()
    if answered != media:
        return Answer(error=f"endpoint: answered {answered}, asked for {media}")
    if case.csv_test:
        return csv_rows(body.decode("utf-8"))
    if answered in ANSWER_GRAPHS:
        return graph(ox.parse(body, format=ANSWER_GRAPHS[answered], base_iri=_uri(case.query)))
    parsed = ox.parse_query_results(body, format=ANSWER_FORMATS[answered])
    return Answer(boolean=bool(parsed)) if isinstance(parsed, ox.QueryBoolean) else solutions(parsed.variables, parsed)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_w3c_query_evaluation(case: Case, endpoint):
    expected = expected_answer(case)
    in_order = ordered(case)
    raw = same(expected, raw_answer(case), in_order, case.lax)
    through = same(expected, endpoint_answer(endpoint, case, expected), in_order, case.lax)
    if case.name in EXPECTED_FAILURES:
        assert raw is not None, f"{case.name} now passes on raw pyoxigraph: remove it from EXPECTED_FAILURES"
        # the endpoint is that engine: an answer it gets right and raw pyoxigraph does not is a change of answers to explain
        assert through is not None, f"{case.name} passes through the endpoint but not on raw pyoxigraph"
        return
    assert raw is None, f"raw pyoxigraph fails {case.name} ({raw}): fix the runner, or list it in EXPECTED_FAILURES with its cause"
    assert through is None, f"{case.name} passes on raw pyoxigraph but not through the endpoint: {through}"
