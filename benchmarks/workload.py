"""What the engines are asked: the named coverage, gap, money and support-finder queries with their default
parameters, two point lookups measured as queries (the statements of one sampled resource, as rows and as a
graph), and the point lookups of the throughput phase.

ecograph and raw pyoxigraph bind a named query's parameters as substitutions (the variable is replaced by the
value everywhere, sub-selects included, as ecograph's /queries/NAME does). rdflib-endpoint has no way to pass
a binding over HTTP, so both rdflib engines get the same query with the values written into the text
(`inline`): `(value AS ?var)` in the outermost projection, the variable dropped from the projections of
sub-selects and from GROUP BY (it was one constant), and the value itself in patterns and expressions. The
benchmark checks that every engine returns the same number of rows."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from ecograph.engine.guard import spans
from ecograph.namespaces import PREFIXES, sparql_prefixes
from ecograph.queries import NamedQuery
from ecograph.rdf.terms import to_sparql

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# the groups measured, by file-name prefix; the targets of issue 5 are over coverage and gaps
GROUPS = {"coverage": "coverage-", "gaps": "gaps-", "money": "money-", "finder": "support-finder", "point": "point-"}
TARGET_GROUPS = ("coverage", "gaps")


@dataclass
class Named:
    """One named query as every engine runs it."""

    name: str
    group: str
    text: str  # the file's text, without PREFIX lines (ecograph and pyoxigraph are given the prefixes)
    substitutions: dict[str, tuple]  # the default parameters as term tuples (kind, value, datatype, language)
    inlined: str  # PREFIX lines + the text with the parameters written in (for the rdflib engines)
    graph: bool = False  # the answer is a graph (CONSTRUCT): asked as Turtle over HTTP, its triples counted


def group_of(name: str) -> str | None:
    for group, prefix in GROUPS.items():
        if name.startswith(prefix):
            return group
    return None


def named_queries(queries_dir: Path, groups: tuple[str, ...] = tuple(GROUPS)) -> list[Named]:
    """The named queries of the chosen groups, in file order, with their default parameters; then, with the group
    "point", the point lookups measured as queries (POINT_LOOKUPS, their resource chosen per scale: at_point)."""
    out = []
    for path in sorted(queries_dir.glob("*.rq")):
        group = group_of(path.stem)
        if group not in groups:
            continue
        query = NamedQuery.from_file(path)
        subs = {name: tuple(t) for name, t in query.substitutions({}).items()}  # ?layer bound to all, as the engine does
        out.append(Named(query.name, group, query.text, subs, sparql_prefixes() + inline(query.text, subs)))
    if "point" in groups:
        out += [point_lookup(name, "urn:x-ecograph-bench:chosen-per-scale") for name in POINT_LOOKUPS]
    return out


def prefixes() -> dict[str, str]:
    return {p: str(ns) for p, ns in PREFIXES.items()}


# ------------------------------------------------------------------ writing parameter values into the text

term_text = to_sparql  # a term as SPARQL text (rdf/terms.py: xsd:string literals as plain strings)


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    """Tokens with variables joined: ('var', name, start, end)."""
    out: list[tuple[str, str, int, int]] = []
    for kind, value, start, end in spans(text):
        if kind == "word" and out and out[-1][0] == "other" and out[-1][1] in "?$" and out[-1][3] == start:
            out[-1] = ("var", value, out[-1][2], end)
        elif kind != "comment":
            out.append((kind, value, start, end))
    return out


def _block_end(toks: list, i: int) -> int:
    """The index of the token closing the bracket opened at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][0] == "open":
            depth += 1
        elif toks[j][0] == "close":
            depth -= 1
            if depth == 0:
                return j
    return len(toks) - 1


def _selects(toks: list) -> list[dict]:
    """Each SELECT: its projection tokens, its WHERE block and its GROUP BY tokens (as index ranges)."""
    found = []
    for i, (kind, value, _, _) in enumerate(toks):
        if kind != "word" or value.upper() != "SELECT":
            continue
        j, depth, projected = i + 1, 0, []
        while j < len(toks):
            k, v = toks[j][0], toks[j][1]
            if depth == 0 and ((k == "word" and v.upper() == "WHERE") or (k == "open" and v == "{")):
                break
            depth += {"open": 1, "close": -1}.get(k, 0)
            if k == "var" and depth == 0:
                projected.append(j)
            j += 1
        brace = j if toks[j][1] == "{" else j + 1
        end = _block_end(toks, brace)
        group, g = [], end + 1
        if g + 1 < len(toks) and toks[g][1].upper() == "GROUP" and toks[g + 1][1].upper() == "BY":
            g += 2
            while g < len(toks) and toks[g][0] in ("var", "open", "close", "word", "other") and not (
                    toks[g][0] == "word" and toks[g][1].upper() in ("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES")) and toks[g][1] != "}":
                if toks[g][0] == "var":
                    group.append(g)
                g += 1
        found.append({"select": i, "projected": projected, "where": (brace, end), "group": group})
    return found


def inline(text: str, values: dict[str, tuple]) -> str:
    """The query with each parameter's value written in, keeping its answer (see the module docstring)."""
    if not values:
        return text
    toks = _tokens(text)
    selects = _selects(toks)
    edits: dict[int, str] = {}
    for s in selects:
        # a sub-select no longer projects the parameter (it was the same constant on both sides of the join),
        # so that the outermost SELECT can project it as (value AS ?name) without the variable being in scope
        nested = any(t["where"][0] < s["select"] < t["where"][1] for t in selects)
        params = [j for j in s["projected"] if toks[j][1] in values]
        keep_one = nested and len(params) == len(s["projected"])  # never an empty projection
        for j in params:
            name = toks[j][1]
            edits[j] = "" if nested and not keep_one else f"({term_text(values[name])} AS ?{name})"
        for k in s["group"]:
            if toks[k][1] in values:
                edits[k] = ""
    order_by = _order_by_ranges(toks)
    for j, (kind, name, _, _) in enumerate(toks):
        if kind == "var" and name in values and j not in edits:
            value = term_text(values[name])
            edits[j] = f"({value})" if any(a <= j <= b for a, b in order_by) else value
    out, last = [], 0
    for j in sorted(edits):
        _, _, start, end = toks[j]
        out.append(text[last:start] + edits[j])
        last = end
    return "".join(out) + text[last:]


def _order_by_ranges(toks: list) -> list[tuple[int, int]]:
    """Token index ranges of ORDER BY clauses (a bare constant is not an order condition: it is bracketed)."""
    ranges = []
    for i in range(len(toks) - 1):
        if toks[i][1].upper() == "ORDER" and toks[i + 1][1].upper() == "BY":
            j = i + 2
            while j < len(toks) and toks[j][1] != "}" and toks[j][1].upper() not in ("LIMIT", "OFFSET", "VALUES"):
                j += 1
            ranges.append((i, j))
    return ranges


# ------------------------------------------------------------------ point lookups

POINT_FORMS = ("ask", "select", "describe")
# point lookups measured as queries too (issue 15: every query, point lookups included, within 1 ms of raw
# pyoxigraph and 10x faster than rdflib-endpoint): the statements of one resource, as rows and as a graph
POINT_LOOKUPS = ("point-select", "point-construct")


def point_lookup(name: str, iri: str) -> Named:
    """The point lookup `name` (of POINT_LOOKUPS) of the resource iri, written with full IRIs: every engine gets
    the same text."""
    if name == "point-select":
        text = f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
    else:
        text = f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"
    return Named(name, "point", text, {}, text, graph=name == "point-construct")


def at_point(queries: list[Named], iris: list[str]) -> list[Named]:
    """The queries of a scale: its point lookups of the first of its sampled resources (none if it has none)."""
    return [point_lookup(q.name, iris[0]) if q.group == "point" else q for q in queries
            if q.group != "point" or iris]


def point_query(form: str, iri: str) -> str:
    """A lookup of one resource, written with full IRIs (no prefixes needed)."""
    if form == "ask":
        return f"ASK {{ <{iri}> ?p ?o }}"
    if form == "select":
        return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
    return f"DESCRIBE <{iri}>"


_SUBJECT = re.compile(r"^<([^>]+)>")


def sample_subjects(lines, k: int, rng: random.Random) -> list[str]:
    """A uniform sample of up to k subject IRIs of N-Triples / N-Quads lines (reservoir sampling over runs of
    one subject: the files group a resource's triples, so a subject is counted once per run)."""
    sample: list[str] = []
    previous, n = None, 0
    for line in lines:
        m = _SUBJECT.match(line)
        if not m or m.group(1) == previous:
            continue
        previous = m.group(1)
        n += 1
        if len(sample) < k:
            sample.append(previous)
        elif (r := rng.randrange(n)) < k:
            sample[r] = previous
    return sorted(set(sample))
