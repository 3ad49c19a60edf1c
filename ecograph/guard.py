"""Checks a SPARQL request before any engine sees it: refuses updates, SERVICE, LOAD, FROM / FROM NAMED of
graphs outside the dataset, and absurd nesting or length (pyoxigraph dies with a segmentation fault on queries
nested about 2,000 deep, and on long chains of operations, which its algebra nests too: 3,000 MINUS or BIND,
10,000 UNIONs or triple patterns). A small lexer skips comments, strings and IRIs so that a keyword inside a
literal is not mistaken for one."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ecograph.errors import EcographError

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
MAX_DEPTH = 64
# Operations the engine nests one inside another: a chain of n UNIONs (or OPTIONALs, joined groups, `||`, `+`,
# triple patterns …) is an algebra n deep. pyoxigraph crashed from about 2,500 of them; each counts once.
MAX_OPERATIONS = 1500
CHAINING_WORDS = {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "EXISTS"}
CHAINING_SIGNS = set(".;,|/+*-=<>!&^")

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\s]*>)
      | (?P<pname>[A-Za-z][\w.-]*:[\w.:%-]*|:[\w.:%-]*)
      | (?P<word>[A-Za-z_][\w]*)
      | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)


class Refused(EcographError):
    """The request asks for something the endpoint never does."""

    status = 400
    exit_code = 2


class UpdateRefused(Refused):
    status = 403
    hint = "ecograph's endpoint is read-only: download the dumps from /dumps/ to change the data locally."


@dataclass
class Analysis:
    """What the guard learned: the query form and the graphs named in FROM / FROM NAMED."""

    form: str = ""
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    depth: int = 0
    operations: int = 0


def tokens(text: str):
    """(kind, value) pairs of a SPARQL text, comments dropped."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind != "comment":
            yield kind, m.group(kind)


def spans(text: str):
    """(kind, value, start, end) of every token of a SPARQL text, comments included."""
    for m in _TOKEN.finditer(text):
        yield m.lastgroup, m.group(m.lastgroup), m.start(), m.end()


def analyse(text: str, dataset_graphs: set[str], allow_service: set[str] | frozenset = frozenset()) -> Analysis:
    """Refuse what must never run; return what the endpoint needs to know about the query."""
    analysis = Analysis()
    prefixes: dict[str, str] = {}
    toks = list(tokens(text))
    depth = 0
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        upper = value.upper() if kind == "word" else ""
        if kind == "open" or upper in CHAINING_WORDS or (kind == "other" and value in CHAINING_SIGNS):
            analysis.operations += 1
            if analysis.operations > MAX_OPERATIONS:
                raise Refused(f"the query has more than {MAX_OPERATIONS} operations (groups, UNION, OPTIONAL, FILTER, operators, triple patterns)",
                              "Split the query, or use VALUES for long lists of alternatives; very long queries are refused before they reach the engine.")
        if kind == "open":
            depth += 1
            analysis.depth = max(analysis.depth, depth)
            if depth > MAX_DEPTH:
                raise Refused(f"the query is nested more than {MAX_DEPTH} levels deep",
                              "Flatten the query; deep nesting is refused before it reaches the engine.")
        elif kind == "close":
            depth -= 1
        elif upper == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            prefixes[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        elif upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and not analysis.form:
            analysis.form = upper
        elif upper in UPDATE_KEYWORDS and not analysis.form:
            raise UpdateRefused(f"SPARQL Update ({upper}) is refused: this endpoint is read-only")
        elif upper == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            target = _iri(toks[j], prefixes) if j < len(toks) else None
            if target is None or target not in allow_service:
                raise Refused(f"SERVICE {('<' + target + '>') if target else ''} is refused: ecograph never opens outbound connections",
                              "Federated queries are off; an operator can allow endpoints with the service_allow setting.")
        elif upper == "FROM":
            named = i + 1 < len(toks) and toks[i + 1][0] == "word" and toks[i + 1][1].upper() == "NAMED"
            j = i + 2 if named else i + 1
            target = _iri(toks[j], prefixes) if j < len(toks) else None
            if target is None or target not in dataset_graphs:
                raise Refused(f"FROM{' NAMED' if named else ''} <{target}> is outside the dataset: ecograph never fetches remote graphs",
                              "Use one of the graphs listed in the service description (GET /sparql).")
            (analysis.from_named if named else analysis.from_graphs).append(target)
        i += 1
    return analysis


CACHED_TEXT_CHARS = 16_384  # longer texts are analysed every time (the cache stays under 512 × 16 KB)


@functools.lru_cache(maxsize=512)
def _analyse_cached(text: str, dataset_graphs: frozenset, allow_service: frozenset) -> Analysis:
    return analyse(text, set(dataset_graphs), allow_service)


def analyse_once(text: str, dataset_graphs: frozenset, allow_service: frozenset = frozenset()) -> Analysis:
    """analyse(), remembered for texts seen before (named queries, a client repeating itself): about 1.5 ms of
    every request for a named query. The Analysis returned is shared: read it, never change it. A refused
    text raises every time (exceptions are not remembered)."""
    if len(text) > CACHED_TEXT_CHARS:
        return analyse(text, set(dataset_graphs), allow_service)
    return _analyse_cached(text, dataset_graphs, allow_service)


def _iri(token, prefixes: dict[str, str]) -> str | None:
    kind, value = token
    if kind == "iri":
        return value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None
