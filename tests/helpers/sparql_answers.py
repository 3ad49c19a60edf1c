"""Test helper: SPARQL answers as RDF terms, and their comparison as the W3C tests mean it (solutions as a
multiset, or a sequence under ORDER BY, with blank nodes matched by one bijection; graphs by isomorphism)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


def values(store: ox.Store, subject, predicate: str) -> list:
    """The objects of subject's predicate in store."""
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


@dataclass
class Answer:
    """What a query gave, ready to compare: a boolean, solutions (variables and rows of term keys), a graph
    (canonical quads) or CSV rows (text cells)."""

    boolean: bool | None = None
    variables: tuple[str, ...] | None = None
    rows: list[tuple] | None = None
    graph: frozenset | None = None
    error: str | None = None


def key(term):
    """A term as a comparable value (language tags in lower case, as RDF 1.1 compares them)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return ("literal", term.value, None if term.language else term.datatype.value, term.language.lower() if term.language else None)
    return ("bnode" if isinstance(term, ox.BlankNode) else "iri", term.value)


def solutions(variables, found) -> Answer:
    """SELECT solutions (pyoxigraph's QuerySolutions, or any iterable of solutions) as an Answer."""
    names = tuple(sorted(v.value for v in variables))
    return Answer(variables=names, rows=[tuple(key(s[n]) for n in names) for s in found])


def graph(triples) -> Answer:
    """A graph as an Answer: its triples with the blank-node labels of its RDFC-1.0 canonical form."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return Answer(graph=frozenset((key(q.subject), key(q.predicate), key(q.object)) for q in dataset))


def csv_rows(text: str) -> Answer:
    """A CSV answer (lossy: text cells; a cell starting with _: is a blank node) as an Answer, columns by name."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    order = sorted(range(len(header)), key=lambda i: header[i])
    return Answer(variables=tuple(header[i] for i in order),
                  rows=[tuple(("bnode", row[i]) if row[i].startswith("_:") else row[i] for i in order) for row in rows])


def rdf_results(store: ox.Store) -> Answer:
    """A result set written in RDF (the DAWG result-set vocabulary), rs:index giving the order where present."""
    result_set = next(iter(store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(RS + "ResultSet")))).subject
    booleans = values(store, result_set, RS + "boolean")
    if booleans:
        return Answer(boolean=booleans[0].value == "true")
    names = tuple(sorted(v.value for v in values(store, result_set, RS + "resultVariable")))
    numbered = []
    for solution in values(store, result_set, RS + "solution"):
        bound = {values(store, b, RS + "variable")[0].value: values(store, b, RS + "value")[0]
                 for b in values(store, solution, RS + "binding")}
        index = values(store, solution, RS + "index")
        numbered.append((int(index[0].value) if index else 0, tuple(key(bound.get(n)) for n in names)))
    return Answer(variables=names, rows=[row for _, row in sorted(numbered, key=lambda s: s[0])])


def same(expected: Answer, actual: Answer, in_order: bool, lax: bool) -> str | None:
    """None when actual is expected, else what differs."""
    if actual.error is not None:
        return actual.error
    if expected.boolean is not None or actual.boolean is not None:
        return None if expected.boolean == actual.boolean else f"ASK: {actual.boolean}, expected {expected.boolean}"
    if expected.graph is not None or actual.graph is not None:
        if expected.graph == actual.graph:
            return None
        return f"graphs differ: {len(actual.graph or ())} triples, expected {len(expected.graph or ())}"
    if expected.variables != actual.variables:
        return f"variables {actual.variables}, expected {expected.variables}"
    rows, wanted = actual.rows, expected.rows
    if lax:
        rows, wanted = list(dict.fromkeys(rows)), list(dict.fromkeys(wanted))
    if len(rows) != len(wanted):
        return f"{len(rows)} rows, expected {len(wanted)}"
    if not _match(wanted, rows, in_order):
        return f"rows differ{' (in order)' if in_order else ''}: {rows[:5]} …, expected {wanted[:5]} …"
    return None


def _blank(value) -> bool:
    return isinstance(value, tuple) and value[0] == "bnode"


def _extend(mapping: dict, reverse: dict, row: tuple, other: tuple) -> list | None:
    """The blank-node pairs row -> other adds to the bijection mapping / reverse; None if they cannot match."""
    added = []
    for a, b in zip(row, other):
        if _blank(a) != _blank(b):
            return None
        if not _blank(a):
            if a != b:
                return None
            continue
        if mapping.get(a, b) != b or reverse.get(b, a) != a:
            return None
        if a not in mapping:
            mapping[a], reverse[b] = b, a
            added.append((a, b))
    return added


def _shape(row: tuple) -> tuple:
    """A row with every blank node the same: rows that can match have the same shape."""
    return tuple("_:" if _blank(v) else v for v in row)


def _match(wanted: list[tuple], rows: list[tuple], in_order: bool) -> bool:
    """Whether rows are wanted with blank nodes renamed by one bijection (in the same order, when in_order)."""
    if not any(_blank(v) for row in wanted + rows for v in row):
        return wanted == rows if in_order else Counter(wanted) == Counter(rows)
    mapping: dict = {}
    reverse: dict = {}
    if in_order:
        return all(_extend(mapping, reverse, w, r) is not None for w, r in zip(wanted, rows))
    if Counter(map(_shape, wanted)) != Counter(map(_shape, rows)):
        return False
    used = [False] * len(rows)

    def place(i: int) -> bool:  # backtracking over the rows of the same shape
        if i == len(wanted):
            return True
        for j, row in enumerate(rows):
            if used[j] or _shape(row) != _shape(wanted[i]):
                continue
            added = _extend(mapping, reverse, wanted[i], row)
            if added is None:
                continue
            used[j] = True
            if place(i + 1):
                return True
            used[j] = False
            for a, b in added:
                del mapping[a], reverse[b]
        return False

    return place(0)
