"""Checks a SPARQL request before any engine sees it: refuses updates, SERVICE, LOAD, FROM / FROM NAMED of
graphs outside the dataset, and absurd nesting or length (pyoxigraph dies with a segmentation fault on queries
nested about 2,000 deep, and on long chains of operations, which its algebra nests too: 3,000 MINUS or BIND,
10,000 UNIONs or triple patterns). A small lexer skips comments, strings and IRIs so that a keyword inside a
literal is not mistaken for one.

IRIs are resolved as the engine resolves them before they are checked (issue 13): a relative IRI against the
query's BASE, else the base IRI the endpoint gives the engine (its own URL); a PREFIX's IRI against the BASE in
force where the PREFIX is declared. So `BASE <http://example.org/> SELECT * FROM <g> {…}` is checked as
`FROM <http://example.org/g>`, which is the graph the engine reads."""

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
    """What the guard learned: the query form, the graphs named in FROM / FROM NAMED (resolved IRIs), and the
    base IRI in force after the prologue (the last BASE, resolved; else the base the guard was given), against
    which the protocol's relative graph IRIs are resolved too."""

    form: str = ""
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    depth: int = 0
    operations: int = 0
    base: str | None = None


# RFC 3986, appendix B: scheme, authority, path, query, fragment (None where the component is absent)
_REFERENCE = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)


def resolve_iri(reference: str, base: str | None) -> str | None:
    """reference resolved against base as the engine (pyoxigraph's oxiri) does: RFC 3986 section 5.2, except that a
    reference with a scheme or an authority is kept as written (RFC 3986 would remove its dot segments too).
    None when reference is relative and there is no base, or the base itself is relative."""
    scheme, authority, path, query, fragment = _REFERENCE.fullmatch(reference).groups()
    if scheme is not None:
        return reference
    parts = _REFERENCE.fullmatch(base).groups() if base is not None else (None,)
    if parts[0] is None:
        return None
    b_scheme, b_authority, b_path, b_query, _ = parts
    if authority is not None:
        t_authority, t_path, t_query = authority, path, query
    else:
        t_authority = b_authority
        if path == "":
            t_path, t_query = b_path, query if query is not None else b_query
        else:
            t_path = path if path.startswith("/") else _merge(b_authority, b_path, path)
            t_path, t_query = _remove_dot_segments(t_path), query
    out = b_scheme + ":" + ("//" + t_authority if t_authority is not None else "") + t_path
    return out + ("?" + t_query if t_query is not None else "") + ("#" + fragment if fragment is not None else "")


def _merge(base_authority: str | None, base_path: str, path: str) -> str:
    """RFC 3986 section 5.2.3."""
    if base_authority is not None and base_path == "":
        return "/" + path
    return base_path[: base_path.rfind("/") + 1] + path


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4."""
    out: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./") or path == "/.":
            path = "/" + path[3:]
        elif path.startswith("/../") or path == "/..":
            path = "/" + path[4:]
            if out:
                out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            end = path.find("/", 1)
            end = len(path) if end < 0 else end
            out.append(path[:end])
            path = path[end:]
    return "".join(out)


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


def analyse(text: str, dataset_graphs: set[str], allow_service: set[str] | frozenset = frozenset(),
            base_iri: str | None = None) -> Analysis:
    """Refuse what must never run; return what the endpoint needs to know about the query.

    Args:
        base_iri: the base IRI the engine is given (the query's BASE, if any, is resolved against it).
    """
    analysis = Analysis(base=base_iri)
    prefixes: dict[str, str | None] = {}
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
        elif upper == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri" and not analysis.form:
            prefixes[toks[i + 1][1].rstrip(":")] = resolve_iri(toks[i + 2][1][1:-1], analysis.base)
        elif upper == "BASE" and i + 1 < len(toks) and toks[i + 1][0] == "iri" and not analysis.form:
            analysis.base = resolve_iri(toks[i + 1][1][1:-1], analysis.base)
        elif upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and not analysis.form:
            analysis.form = upper
        elif upper in UPDATE_KEYWORDS and not analysis.form:
            raise UpdateRefused(f"SPARQL Update ({upper}) is refused: this endpoint is read-only")
        elif upper == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][0] == "word" and toks[j][1].upper() == "SILENT":
                j += 1
            target = _iri(toks[j], prefixes, analysis.base) if j < len(toks) else None
            if target is None or target not in allow_service:
                raise Refused(f"SERVICE {('<' + target + '>') if target else ''} is refused: ecograph never opens outbound connections",
                              "Federated queries are off; an operator can allow endpoints with the service_allow setting.")
        elif upper == "FROM":
            named = i + 1 < len(toks) and toks[i + 1][0] == "word" and toks[i + 1][1].upper() == "NAMED"
            j = i + 2 if named else i + 1
            target = _iri(toks[j], prefixes, analysis.base) if j < len(toks) else None
            if target is None and j < len(toks) and toks[j][0] == "iri":
                raise Refused(f"FROM{' NAMED' if named else ''} {toks[j][1]} is a relative IRI and the query has no base to resolve it against",
                              "Write the graph's absolute IRI, or declare a BASE.")
            if target is None or target not in dataset_graphs:
                raise Refused(f"FROM{' NAMED' if named else ''} <{target}> is outside the dataset: ecograph never fetches remote graphs",
                              "Use one of the graphs listed in the service description (GET /sparql).")
            (analysis.from_named if named else analysis.from_graphs).append(target)
        i += 1
    return analysis


CACHED_TEXT_CHARS = 16_384  # longer texts are analysed every time (the cache stays under 512 × 16 KB)


@functools.lru_cache(maxsize=512)
def _analyse_cached(text: str, dataset_graphs: frozenset, allow_service: frozenset, base_iri: str | None) -> Analysis:
    return analyse(text, set(dataset_graphs), allow_service, base_iri)


def analyse_once(text: str, dataset_graphs: frozenset, allow_service: frozenset = frozenset(), base_iri: str | None = None) -> Analysis:
    """analyse(), remembered for texts seen before (named queries, a client repeating itself): about 1.5 ms of
    every request for a named query. The Analysis returned is shared: read it, never change it. A refused
    text raises every time (exceptions are not remembered)."""
    if len(text) > CACHED_TEXT_CHARS:
        return analyse(text, set(dataset_graphs), allow_service, base_iri)
    return _analyse_cached(text, dataset_graphs, allow_service, base_iri)


def _iri(token, prefixes: dict[str, str | None], base: str | None) -> str | None:
    """The IRI a token names, resolved as the engine resolves it (None: not an IRI, or one that cannot be resolved)."""
    kind, value = token
    if kind == "iri":
        return resolve_iri(value[1:-1], base)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefixes.get(prefix) is not None:
            return prefixes[prefix] + local
    return None
