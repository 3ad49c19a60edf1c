"""pyoxigraph is given, of the project's predeclared prefixes, only those a query's text may use (stores.prefixes_used):
parsing all 28 cost 33 µs of every query. Leaving out one the query uses would make it fail, so every query the
project ships is run with the prefixes chosen so, and the choice is checked against the prefixed names in it."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from ecograph.engine.stores import prefixes_used
from ecograph.namespaces import PREFIX_MAP
from ecograph.queries import NamedQuery
from ecograph.rdf.terms import to_ox
from ecograph.settings import PROJECT_ROOT

SHIPPED = sorted((PROJECT_ROOT / "queries").rglob("*.rq"))
# a prefixed name's label (SPARQL 1.1 PN_PREFIX, ASCII part) before its colon, outside IRIs, strings and comments
_SKIP = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
_PNAME = re.compile(r"(?<![\w.:-])([A-Za-z][\w.-]*)?:(?=[\w%\\:]|\s|[;,.)\]}])")


def _labels(text: str) -> set[str]:
    return {m.group(1) or "" for m in _PNAME.finditer(_SKIP.sub(" ", text))}


def test_only_the_prefixes_a_text_names_are_given():
    assert prefixes_used("SELECT ?p ?o WHERE { <http://example.org/a> ?p ?o }", PREFIX_MAP) is None
    assert prefixes_used("SELECT * WHERE { ?s a skos:Concept ; rdfs:label ?l }", PREFIX_MAP) == {
        "skos": PREFIX_MAP["skos"], "rdfs": PREFIX_MAP["rdfs"]}
    assert prefixes_used("ASK {}", None) is None and prefixes_used("ASK {}", {}) is None
    # any map, not only the project's; a label that only occurs in a string is given too, for nothing
    assert prefixes_used('SELECT * { ?s ?p "ex:1" }', {"ex": "http://example.org/", "no": "http://no/"}) == {"ex": "http://example.org/"}


def test_the_choice_for_the_projects_map_is_remembered_per_text():
    text = "SELECT * WHERE { ?s a org:Organization }"
    assert prefixes_used(text, PREFIX_MAP) is prefixes_used(text, PREFIX_MAP)
    assert prefixes_used(text, dict(PREFIX_MAP)) is not prefixes_used(text, PREFIX_MAP)  # another map: looked at anew


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(PROJECT_ROOT / "queries")))
def test_every_shipped_query_runs_with_the_prefixes_chosen_for_it(path):
    query = NamedQuery.from_file(path)
    chosen = prefixes_used(query.text, PREFIX_MAP) or {}
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w.-]*):", query.text))
    assert _labels(query.text) - declared <= set(chosen), "a prefix the query names is left out"
    subs = {ox.Variable(name): to_ox(term) for name, term in query.substitutions({}).items()}
    ox.Store().query(query.text, prefixes=chosen or None, substitutions=subs or None, use_default_graph_as_union=True)
