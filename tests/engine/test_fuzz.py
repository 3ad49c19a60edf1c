"""Property-based fuzzing (hypothesis) of content negotiation, the SPARQL guard, named-query parameter
binding and the /sparql handler: hostile or random input gives a clean answer or a clean refusal, never an
unexpected exception or a 5xx."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecograph.engine import guard, results
from ecograph.errors import UsageError
from ecograph.queries import Param
from ecograph.rdf.terms import Term

FAST = settings(max_examples=200, deadline=None, database=None)
SLOW = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
XSD = "http://www.w3.org/2001/XMLSchema#"
MEDIA = sorted({*results.RESULT_TYPES, *results.GRAPH_TYPES, "text/html", "application/xhtml+xml", "image/png"})

# ------------------------------------------------------------------ (a) content negotiation

accept_parts = st.one_of(
    st.sampled_from([*MEDIA, "*/*", "text/*", "application/*", "", "garbage", ";", ",", "q=1", "*/*;q=0"]),
    st.builds(lambda m, q: f"{m};q={q}", st.sampled_from([*MEDIA, "*/*", "text/*"]),
              st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr), st.text(max_size=5))),
    st.text(max_size=30),
)
accept_headers = st.one_of(st.none(), st.lists(accept_parts, max_size=8).map(", ".join), st.text(max_size=200))


@FAST
@given(accept=accept_headers, offered=st.lists(st.sampled_from(MEDIA), min_size=1, max_size=6, unique=True))
def test_negotiate_never_raises_and_picks_an_offered_type(accept, offered):
    ranges = results.parse_accept(accept)
    assert all(isinstance(m, str) and 0.0 <= q <= 1.0 for m, q in ranges)
    chosen = results.negotiate(accept, offered)
    assert chosen is None or chosen in offered


# ------------------------------------------------------------------ (b) the guard

_plain = st.text(st.characters(blacklist_characters="\"'\\\n\r", blacklist_categories=("Cs",)), max_size=12)
fragments = st.one_of(
    st.sampled_from(["SELECT", "*", "WHERE", "ASK", "CONSTRUCT", "FILTER", "?s", "?p", "?o", "?service", "ex:a", "a", "1", "2.5",
                     "UNION", "OPTIONAL", "GRAPH", "BIND", "AS", "{", "}", "(", ")", ".", ";", ",", "[", "]", "PREFIX ex: <urn:x#>",
                     "FROM", "NAMED", "SILENT", "LIMIT", "||", "&&", "=", "<", ">"]),
    _plain.map(lambda t: f'"{t}"'),
    _plain.map(lambda t: f"'{t}'"),
    _plain.map(lambda t: '"""' + t + '"""'),
    _plain.map(lambda t: f"# {t}\n"),
    st.text(st.characters(blacklist_characters='<>"{}|^`\\', blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), max_size=20)
    .map(lambda t: f"<{t}>"),
)
service_targets = st.sampled_from(["<http://127.0.0.1:9/sparql>", "?endpoint", "ex:sparql", "<>", "SILENT <urn:x>", ""])


def _analyse(text: str):
    try:
        return guard.analyse(text, {"https://w3id.org/ecograph/graph/stated"})
    except guard.Refused as exc:  # UpdateRefused is a Refused
        assert exc.status in (400, 403) and exc.message
        return None


@FAST
@given(text=st.one_of(st.text(max_size=400), st.lists(fragments, max_size=40).map(" ".join)))
def test_guard_refuses_cleanly_or_accepts_without_service(text):
    analysis = _analyse(text)
    if analysis is not None:
        assert isinstance(analysis, guard.Analysis)
        assert not any(kind == "word" and value.upper() == "SERVICE" for kind, value in guard.tokens(text))
        assert analysis.depth <= guard.MAX_DEPTH and analysis.operations <= guard.MAX_OPERATIONS


def _outcome(analyse, text: str):
    try:
        return analyse(text, frozenset({"https://w3id.org/ecograph/graph/stated"}), frozenset())
    except guard.Refused as exc:
        return type(exc), exc.message


@FAST
@given(text=st.one_of(st.text(max_size=400), st.lists(fragments, max_size=40).map(" ".join)))
def test_the_remembered_analysis_is_the_analysis_and_a_refusal_is_never_remembered_away(text):
    first = _outcome(guard.analyse_once, text)
    assert first == _outcome(guard.analyse, text)
    assert _outcome(guard.analyse_once, text) == first  # asked again (remembered, or refused again)


def test_long_texts_are_not_remembered():
    long = "ASK { ?s ?p ?o }" + " " * guard.CACHED_TEXT_CHARS
    before = guard._analyse_cached.cache_info().currsize
    assert guard.analyse_once(long, frozenset()).form == "ASK"
    assert guard._analyse_cached.cache_info().currsize == before


@FAST
@given(before=st.lists(fragments, max_size=20), after=st.lists(fragments, max_size=20), target=service_targets,
       keyword=st.sampled_from(["SERVICE", "service", "Service", "sErViCe"]))
def test_a_service_keyword_outside_strings_comments_and_iris_is_always_refused(before, after, keyword, target):
    text = " ".join([*before, keyword, target, *after])
    with pytest.raises(guard.Refused):
        guard.analyse(text, set())


# ------------------------------------------------------------------ (c) named-query parameter binding

PARAMS = [Param("p", "iri", None, ""), Param("p", "string", None, ""), Param("p", "integer", None, ""),
          Param("p", "boolean", None, ""), Param("p", "ja|en|a b", None, "")]
raw_values = st.one_of(
    st.text(max_size=60),
    st.builds(lambda p, t: p + t, st.sampled_from(["stakeholder:", "phase:", "https://", "http://e/", "<https://e/", "ex:", "javascript:"]),
              st.text(max_size=40)),
    st.from_regex(r"[+-]?[0-9]{0,14}", fullmatch=True),
    st.sampled_from(["true", "false", "TRUE", "ja", "en", "a b", "", "1e3", "\u0661"]),
)


@FAST
@given(param=st.sampled_from(PARAMS), raw=raw_values)
def test_param_bind_gives_a_term_of_the_right_kind_or_a_usage_error(param, raw):
    try:
        term = param.bind(raw)
    except UsageError as exc:
        assert exc.status == 400 and param.name in exc.message
        return
    assert isinstance(term, Term)
    if param.type == "iri":
        assert term.kind == "uri"
        assert not any(c.isspace() or c in '<>"{}|\\^`' or ord(c) < 0x20 for c in term.value), term.value
    elif param.type == "integer":
        assert term.kind == "literal" and term.datatype == XSD + "integer" and re.fullmatch(r"-?[0-9]+", term.value)
    elif param.type == "boolean":
        assert term.kind == "literal" and term.datatype == XSD + "boolean" and term.value in ("true", "false")
    elif param.choices():
        assert term.kind == "literal" and term.value in param.choices()
    else:
        assert term.kind == "literal" and term.datatype == XSD + "string" and term.value == raw and len(raw) <= 1000


# ------------------------------------------------------------------ (d) the /sparql handler

query_texts = st.one_of(st.text(max_size=200), st.lists(fragments, max_size=25).map(" ".join))
raw_query_strings = st.text(st.sampled_from("abcdefqueryformatlayertimeout=&%0123456789ABCDEFf+;?-_.~ "), max_size=80)
content_types = st.one_of(st.none(), st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                                                      "application/sparql-update", "text/plain", "application/json",
                                                      "multipart/form-data", "application/sparql-query; charset=latin-1"]),
                          st.text(max_size=30))
accepts = st.one_of(st.none(), accept_headers)


SMALL_DATA = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ecograph/id/program/1> rdfs:label "one"@en , "一"@ja ; rdfs:seeAlso <https://w3id.org/ecograph/id/program/2> .
<https://w3id.org/ecograph/id/program/2> rdfs:label "two"@en .
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """/sparql over a small file (serve --data) with one real worker: the handler is the same, and no build is needed."""
    from tests.helpers.project import data_app

    with data_app(tmp_path_factory.mktemp("fuzz"), "small.ttl", SMALL_DATA) as app:
        yield app.test_client()


def _header_safe(value):
    return value if value is None or all(32 <= ord(c) < 127 for c in value) else None


def _assert_clean(response):
    status = response.status_code
    if status >= 500:
        body = response.get_data(as_text=True)
        assert status == 503 and "time limit" in body, (status, body[:300])


@SLOW
@given(query=query_texts, accept=accepts, fmt=st.one_of(st.none(), st.sampled_from(sorted(results.FORMAT_PARAM)), st.text(max_size=8)),
       layer=st.one_of(st.none(), st.sampled_from(["stated", "all", "nothing"])))
def test_sparql_get_never_5xx(client, query, accept, fmt, layer):
    params = {"query": query, "timeout": "0.5"}
    if fmt is not None:
        params["format"] = fmt
    if layer is not None:
        params["layer"] = layer
    headers = {"Accept": _header_safe(accept)} if _header_safe(accept) is not None else {}
    _assert_clean(client.get("/sparql", query_string=params, headers=headers))


@SLOW
@given(body=st.one_of(st.binary(max_size=300), query_texts.map(lambda t: t.encode("utf-8")),
                      query_texts.map(lambda t: b"query=" + t.encode("utf-8"))),
       ctype=content_types, raw_qs=raw_query_strings, accept=accepts)
def test_sparql_post_never_5xx(client, body, ctype, raw_qs, accept):
    headers = {"Accept": _header_safe(accept)} if _header_safe(accept) is not None else {}
    if ctype is not None and _header_safe(ctype) is not None:
        headers["Content-Type"] = ctype
    _assert_clean(client.post("/sparql?" + raw_qs + "&timeout=0.5", data=body, headers=headers))
