"""SELECT answers written by pyoxigraph (engine/native.py) against today's Python path (every value read into a term
tuple by from_ox, written by results.render): for every named query (over the fixture dataset and the session's
build), crafted edge cases and every result format, both bodies parse to the same solutions; an answer cut at the
row cap is the Python path's, byte for byte, with its truncation marks; and the row cap stops pyoxigraph's writer,
so an endless answer never makes an endless body."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from collections import Counter
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from ecograph.engine import native, results
from ecograph.engine.answers import answer
from ecograph.engine.job import Job
from ecograph.namespaces import PREFIX_MAP
from ecograph.queries import NamedQuery
from ecograph.rdf.terms import from_ox, to_ox
from ecograph.settings import PROJECT_ROOT
from tests.helpers.paths import MINI

MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
         "tsv": "text/tab-separated-values"}
PARSED = {"json": ox.QueryResultsFormat.JSON, "tsv": ox.QueryResultsFormat.TSV}
SRX = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAMED = sorted(p.stem for p in (PROJECT_ROOT / "queries").glob("*.rq"))
EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


# ------------------------------------------------------------------ the stores

@pytest.fixture(scope="module")
def mini_store():
    store = ox.Store()
    store.bulk_load(path=str(MINI), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def built_store(built_root):
    store = ox.Store()
    store.bulk_load(path=str(built_root / "dist" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return store


EDGE_VALUES = [
    ox.Literal("line\nbreak"), ox.Literal("carriage\rreturn"), ox.Literal("crlf\r\n\r\ntwice"), ox.Literal("tab\there"),
    ox.Literal('double "quoted"'), ox.Literal("it's"), ox.Literal("back\\slash"), ox.Literal("ends with \\"),
    ox.Literal("a,comma"), ox.Literal(" leading and trailing "), ox.Literal(""), ox.Literal("<tag>&amp; ]]>"),
    ox.Literal("試験用の値"), ox.Literal("emoji 🧪"), ox.Literal("\u2028 and \u0085 and \x7f"),
    ox.Literal("label", language="en"), ox.Literal("ラベル", language="ja"), ox.Literal("Etikett", language="de-CH"),
    ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("-7", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("INF", datatype=ox.NamedNode(XSD + "double")), ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("2024-01-02", datatype=ox.NamedNode(XSD + "date")), ox.Literal("x\ny", datatype=ox.NamedNode(EX + "custom")),
    ox.Literal("not a number", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("plain", datatype=ox.NamedNode(XSD + "string")),
    ox.BlankNode("b1"), ox.BlankNode(), ox.NamedNode(EX + "é?a=1&b=2#frag"), ox.NamedNode("urn:x-test:1"),
]


@pytest.fixture(scope="module")
def edge_store():
    store = ox.Store()
    for i, value in enumerate(EDGE_VALUES):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02}"), ox.NamedNode(EX + "p"), value, ox.NamedNode(EX + "g")))
    store.add(ox.Quad(ox.BlankNode("subject"), ox.NamedNode(EX + "q"), ox.Literal("from a blank node")))
    store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "control"), ox.Literal("\x00\x01\x0b\x0c\x1f\ufffe")))
    return store


# ------------------------------------------------------------------ the two paths

def _solutions(store: ox.Store, job: Job) -> ox.QuerySolutions:
    """The job's solutions (its dataset as stores._run passes it: the union of every graph, or the job's graphs)."""
    kwargs: dict = {"prefixes": job.prefixes or None}
    if job.default_graphs is None:
        kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in job.substitutions.items()}
    result = store.query(job.query, **kwargs)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _python(store: ox.Store, job: Job):
    """Today's path (stores._run then workers._rendered): every value a term tuple, written by results.render."""
    result = _solutions(store, job)
    found = answer("SELECT", [v.value for v in result.variables], (tuple(map(from_ox, s)) for s in result), job.max_rows)
    return found, results.render(found, job.media, job.max_rows)


def _parsed(body: bytes, fmt: str):
    """A body as its variables and its solutions (a multiset: a query without a total order may give its rows in
    another order on another run). CSV is lossy: its text cells."""
    if fmt == "csv":
        header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        return header, Counter(map(tuple, rows))
    if fmt == "xml":
        return _xml(body)
    found = ox.parse_query_results(body, format=PARSED[fmt])
    return [v.value for v in found.variables], Counter(tuple(map(from_ox, s)) for s in found)


def _xml(body: bytes):
    """SPARQL Results XML read by a plain XML parser: pyoxigraph's own reader trims the text of an element, so it
    reads today's <literal> x </literal> as "x" (pyoxigraph's writer escapes such spaces: &#32;x&#32;)."""
    root = ElementTree.fromstring(body)
    variables = [v.get("name") for v in root.iter(SRX + "variable")]
    rows = []
    for result in root.iter(SRX + "result"):
        bound = {}
        for binding in result:
            term = binding[0]
            kind = term.tag.removeprefix(SRX)
            if kind == "literal":
                language = term.get(XML_LANG)
                bound[binding.get("name")] = ("literal", term.text or "", None if language else term.get("datatype", XSD + "string"), language)
            else:
                bound[binding.get("name")] = (kind, term.text, None, None)
        rows.append(tuple(bound.get(v) for v in variables))
    return variables, Counter(rows)


def _same(store: ox.Store, job: Job, fmt: str) -> None:
    """The native body and today's give the same solutions; a truncated one is today's, byte for byte."""
    got = native.select_answer(_solutions(store, job), job, again=lambda: _solutions(store, job))
    expected, body = _python(store, job)
    assert got.form == "SELECT" and got.rows == [] and got.variables == expected.variables
    assert got.truncated == expected.truncated
    assert isinstance(got.body, bytes) and got.render_ms is not None
    if got.truncated:
        assert got.body == body
        return
    assert _parsed(got.body, fmt) == _parsed(body, fmt)
    if fmt == "json":  # the documents themselves: the same keys (no datatype on xsd:string, xml:lang) and values
        mine, theirs = json.loads(got.body), json.loads(body)
        assert mine["head"] == theirs["head"]
        assert Counter(json.dumps(b, sort_keys=True) for b in mine["results"]["bindings"]) == \
            Counter(json.dumps(b, sort_keys=True) for b in theirs["results"]["bindings"])


def _job(query: str, fmt: str, max_rows: int = 10_000) -> Job:
    return Job(query, max_rows, "SELECT", PREFIX_MAP, media=MEDIA[fmt])


# ------------------------------------------------------------------ the named queries

def _named_job(name: str, fmt: str) -> Job:
    query = NamedQuery.from_file(PROJECT_ROOT / "queries" / f"{name}.rq")
    assert query.form == "SELECT"
    return Job(query.text, 100_000, "SELECT", PREFIX_MAP, substitutions=query.substitutions({}) or None, media=MEDIA[fmt])


@pytest.mark.parametrize("fmt", MEDIA)
@pytest.mark.parametrize("name", NAMED)
def test_named_queries_on_the_fixture(mini_store, name, fmt):
    _same(mini_store, _named_job(name, fmt), fmt)


@pytest.mark.parametrize("fmt", MEDIA)
@pytest.mark.parametrize("name", NAMED)
def test_named_queries_on_the_build(built_store, name, fmt):
    _same(built_store, _named_job(name, fmt), fmt)


def test_the_named_queries_are_found():
    assert len(NAMED) > 20 and "programs" in NAMED


# ------------------------------------------------------------------ edge cases

EDGE_QUERIES = {
    "every kind of term, an unbound column": f"SELECT ?s ?o ?unbound WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}none> ?unbound }} }}",
    "a blank-node subject": f"SELECT * WHERE {{ ?s <{EX}q> ?o }}",
    "one column, some unbound": f"SELECT ?o WHERE {{ {{ ?s <{EX}p> ?o }} UNION {{ BIND(1 AS ?other) }} }}",
    "one column, only unbound": "SELECT ?x WHERE { VALUES ?y { 1 2 3 } }",
    "one row of no variable": "SELECT * WHERE { }",
    "rows of no variable": "SELECT * WHERE { VALUES ?x { 1 2 } } ",
    "no row, no variable": "SELECT * WHERE { FILTER(false) }",
    "no row": "SELECT ?x ?y WHERE { FILTER(false) }",
    "unbound here and there": "SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) (UNDEF 2) (UNDEF UNDEF) (3 4) } }",
    "computed literals": 'SELECT ?a ?b ?c ?d ?e ?f WHERE { BIND(1/3 AS ?a) BIND(STRLANG("x", "EN-gb") AS ?b) BIND(2.0e0 * 3 AS ?c) '
                         'BIND("01"^^<http://www.w3.org/2001/XMLSchema#integer> AS ?d) BIND(CONCAT("a\\tb", "\\n") AS ?e) '
                         'BIND(STRDT("5", <http://example.org/t>) AS ?f) }',
    "aggregates": "SELECT ?p (COUNT(*) AS ?n) (SAMPLE(?o) AS ?one) (GROUP_CONCAT(STR(?o); SEPARATOR='\\n') AS ?all) "
                  f"WHERE {{ ?s ?p ?o FILTER(?p != <{EX}control>) }} GROUP BY ?p",
    "variables named like keywords": "SELECT ?select ?boolean ?head WHERE { BIND(1 AS ?select) BIND(true AS ?boolean) BIND('h' AS ?head) }",
}


@pytest.mark.parametrize("fmt", MEDIA)
@pytest.mark.parametrize("case", EDGE_QUERIES)
def test_edge_cases(edge_store, case, fmt):
    _same(edge_store, _job(EDGE_QUERIES[case], fmt), fmt)


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
def test_control_characters(edge_store, fmt):
    """Characters XML 1.0 cannot hold at all (U+0000, U+000B, …): JSON escapes them, CSV and TSV carry them. (In
    XML both writers, pyoxigraph's and ours, write them as they are: not well-formed either way.)"""
    _same(edge_store, _job(f"SELECT ?o WHERE {{ ?s <{EX}control> ?o }}", fmt), fmt)


def test_tsv_keeps_one_row_a_line(edge_store):
    """pyoxigraph's TSV escapes tab, newline and carriage return inside a term: the line count is the row count."""
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }}"
    body = native.select_answer(_solutions(edge_store, _job(query, "tsv")), _job(query, "tsv")).body
    lines = body.split(b"\n")
    assert lines[-1] == b"" and len(lines) - 2 == len(EDGE_VALUES)
    assert all(line.count(b"\t") == 1 and b"\r" not in line for line in lines[:-1])
    assert b'"line\\nbreak"' in body and b'"carriage\\rreturn"' in body and b'"tab\\there"' in body
    assert b'"double \\"quoted\\""' in body and b'"ends with \\\\"' in body


def test_a_one_column_csv_keeps_its_unbound_rows(edge_store):
    """A row of one unbound value is "" (today's CSV), not pyoxigraph's empty line, which readers skip."""
    job = _job(EDGE_QUERIES["one column, only unbound"], "csv")
    assert native.select_answer(_solutions(edge_store, job), job).body == b'x\r\n""\r\n""\r\n""\r\n'


def test_an_error_of_the_query_is_raised_as_before(edge_store):
    job = _job("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "json")
    with pytest.raises(OSError) as before:
        _python(edge_store, job)
    with pytest.raises(OSError) as now:
        native.select_answer(_solutions(edge_store, job), job)
    assert str(now.value) == str(before.value)


# ------------------------------------------------------------------ the row cap

ORDERED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"


@pytest.mark.parametrize("fmt", MEDIA)
@pytest.mark.parametrize("max_rows", [1, 5, 1000])
def test_a_truncated_answer_is_todays(built_store, fmt, max_rows):
    """Cut at the cap (1000 rows: many chunks of pyoxigraph's writer), the body is the Python path's, with its marks."""
    job = _job(ORDERED, fmt, max_rows)
    got = native.select_answer(_solutions(built_store, job), job, again=lambda: _solutions(built_store, job))
    assert got.truncated
    _same(built_store, job, fmt)
    if fmt == "json":
        assert json.loads(got.body)["head"]["link"] == [f"{results.TRUNCATED_LINK}?max-rows={max_rows}"]
        assert len(json.loads(got.body)["results"]["bindings"]) == max_rows
    elif fmt == "xml":
        assert f'<link href="{results.TRUNCATED_LINK}?max-rows={max_rows}"/>'.encode() in got.body


@pytest.mark.parametrize("fmt", MEDIA)
def test_a_truncated_edge_answer_is_todays(edge_store, fmt):
    _same(edge_store, _job(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s", fmt, 7), fmt)
    _same(edge_store, _job("SELECT * WHERE { VALUES ?x { 1 2 3 } }", fmt, 2), fmt)  # rows of no variable


@pytest.mark.parametrize("fmt", MEDIA)
def test_the_cap_itself(edge_store, fmt):
    """Exactly max_rows rows fit; one more is truncated."""
    query = "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }"
    for cap, truncated in ((3, False), (2, True)):
        job = _job(query, fmt, cap)
        got = native.select_answer(_solutions(edge_store, job), job, again=lambda job=job: _solutions(edge_store, job))
        assert got.truncated == truncated


def test_an_endless_answer_stops_at_the_cap(built_store):
    """A cross product of the whole build with itself, twice (far more rows than any memory holds): the writer stops
    pyoxigraph once it holds one row more than the cap, having kept at most one chunk past it."""
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    writer = native._Lines(11)
    with pytest.raises(native._Full):
        _solutions(built_store, _job(query, "tsv")).serialize(output=writer, format=ox.QueryResultsFormat.TSV)
    assert writer.full and sum(map(len, writer.chunks)) <= 16 * 1024
    assert writer.head().count(b"\n") == 11
    for fmt in MEDIA:
        job = _job(query, fmt, 10)
        got = native.select_answer(_solutions(built_store, job), job, again=lambda job=job: _solutions(built_store, job))
        assert got.truncated
        if fmt == "json":
            assert len(json.loads(got.body)["results"]["bindings"]) == 10


# ------------------------------------------------------------------ JSON in one pass

def test_pyoxigraph_writes_json_rows_as_counted():
    """The check made on import holds for the pyoxigraph installed: JSON is written in one pass."""
    assert native.JSON_ROWS


@pytest.mark.parametrize("text", ["},{", "}},{}", 'a "},{" b', "},{" * 50])
def test_a_string_holding_a_row_boundary_is_counted_safely(text):
    """A literal holding "},{" counts as boundaries too: with the cap near, the query is run again and counted
    exactly, so the answer is whole (or cut exactly at the cap), never cut short nor let past the cap."""
    store = ox.Store()
    for i in range(3):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(text + str(i))))
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"
    runs = []

    def again():
        runs.append(1)
        return _solutions(store, job)

    for cap in (3, 4, 2):
        job = _job(query, "json", cap)
        runs.clear()
        got = native.select_answer(_solutions(store, job), job, again=again)
        assert got.truncated == (cap < 3)
        assert len(json.loads(got.body)["results"]["bindings"]) == min(cap, 3)
        assert len(runs) <= 1  # where the strings' boundaries reached the cap first: counted again, the TSV way
        _same(store, job, "json")


def test_json_within_the_cap_is_written_in_one_pass(built_store):
    """An answer under the cap is pyoxigraph's own JSON, the query run once; without again() the TSV way is taken."""
    job = _job(ORDERED, "json", 100_000)
    ran = []
    got = native.select_answer(_solutions(built_store, job), job, again=lambda: ran.append(1))
    assert not got.truncated and ran == [] and got.render_ms == 0.0
    assert got.body == _solutions(built_store, job).serialize(format=ox.QueryResultsFormat.JSON)
    by_tsv = native.select_answer(_solutions(built_store, job), job)
    assert _parsed(by_tsv.body, "json") == _parsed(got.body, "json")


def test_the_row_counter_sees_a_boundary_split_across_chunks():
    """pyoxigraph hands its writer 8 KiB chunks: a boundary may straddle two, or three one-byte writes."""
    for pieces in ([b'[{"a":1}', b',{"a":2}]'], [b'[{"a":1', b'},', b'{"a":2}]'], [b"[{}", b",", b"{}", b",{}]"],
                   [b"[{", b"}", b",", b"{", b"}]"]):
        writer = native._JsonRows(3)
        writer.write(b'{"head":{"vars":["a"]},"results":{"bindings":')  # its three "{": boundaries counted from here on
        for piece in pieces:
            writer.write(piece)
        assert writer.boundaries == b"".join(pieces).count(b"},{"), pieces


def test_the_row_counter_stops_at_the_cap_however_the_answer_is_cut():
    """Whatever the chunks, and with strings holding "{" or "},{" among the rows: the writer stops at the chunk where
    the bytes kept first hold `most` boundaries, never before, and keeps every byte up to there."""
    rng = random.Random(15)
    rows = [b'{"a":{"type":"literal","value":"x{y"}}', b'{"a":{"type":"literal","value":"},{"}}', b"{}",
            b'{"a":{"type":"uri","value":"http://example.org/s"},"b":{"type":"bnode","value":"b0"}}']
    for _ in range(300):
        body = b'{"head":{"vars":["a","b"]},"results":{"bindings":[' + b",".join(rng.choices(rows, k=rng.randint(0, 12))) + b"]}}"
        cuts = sorted(rng.sample(range(1, len(body)), rng.randint(0, 8)))
        pieces = [body[a:b] for a, b in itertools.pairwise([0, *cuts, len(body)])]
        most = rng.randint(1, 8)
        writer = native._JsonRows(most)
        stopped = None
        for i, piece in enumerate(pieces):
            try:
                writer.write(piece)
            except native._Full:
                stopped = i
                break
        first = next((i for i in range(len(pieces)) if b"".join(pieces[:i + 1]).count(b"},{") >= most), None)
        assert stopped == first and writer.full == (first is not None), (body, pieces, most)
        assert writer.chunks == pieces[:len(writer.chunks)]


@pytest.mark.parametrize("max_rows", [1, 5, 1000])
def test_a_json_answer_over_the_cap_is_cut_without_running_the_query_again(built_store, max_rows):
    """Stopped at its max_rows-th row boundary, the JSON written so far holds the rows to keep: the truncated answer
    is made from them (today's body, byte for byte), and the query runs once."""
    job = _job(ORDERED, "json", max_rows)
    ran = []
    got = native.select_answer(_solutions(built_store, job), job, again=lambda: ran.append(1))
    assert got.truncated and ran == []
    assert got.body == _python(built_store, job)[1]


def test_a_cut_that_falls_in_a_string_runs_the_query_again():
    """The last boundary counted is inside a literal: the document cut there does not parse, so the query runs again."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x},{y")))
    store.add(ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("plain")))
    job = _job(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s", "json", 2)
    assert native._json_head(_solutions(store, job).serialize(format=ox.QueryResultsFormat.JSON)[:-40], 2) is None
    runs = []

    def again():
        runs.append(1)
        return _solutions(store, job)

    got = native.select_answer(_solutions(store, job), job, again=again)
    assert runs == [1] and not got.truncated
    assert len(json.loads(got.body)["results"]["bindings"]) == 2
