"""The SPARQL text of the shapes, read as SHACL-SPARQL needs it: whether a query may be pre-bound at all (§5.2.1), when
$this must be pre-bound per focus node and when one run over the whole data gives the same rows, whether
pyoxigraph's substitutions pre-bind it everywhere or it must be written into the text, the predicates a query can
read, and $PATH replaced outside strings, IRIs and comments. Read on the text: SPARQL's lexemes (strings, IRIs,
comments) are set aside first, so that a keyword inside a string never counts."""

from __future__ import annotations

import functools
import re

from rdflib.namespace import RDF

from ecograph.shacl.errors import ShapesError

_LEXEMES = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_THIS = re.compile(r"[?$]this\b")


def _keyword(*words: str) -> re.Pattern:
    return re.compile(r"(?<![?$:\w])(" + "|".join(words) + r")\b", re.IGNORECASE)


_NEVER = _keyword("MINUS", "VALUES", "SERVICE", "GRAPH", "LIMIT", "OFFSET")
_AGGREGATE = _keyword("GROUP", "HAVING", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT")
_BIND = _keyword("BIND")


def _skeleton(query: str) -> str:
    """The query with strings, IRIs and comments blanked, so that braces and variables can be counted."""
    return _LEXEMES.sub(lambda m: "" if m.group(0).startswith("#") else ('<>' if m.group(0).startswith("<") else '""'), query)


def _blocks(text: str, start: int) -> tuple[str, list[tuple[str, str]], int]:
    """From the '{' at start: the group's own text (nested groups cut out) and each nested group as
    (the group's text just before it, the nested group's text); and the index after the closing '}'."""
    own: list[str] = []
    nested, depth, opened = [], 0, start
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "{":
            depth += 1
            opened = i if depth == 2 else opened
        elif ch == "}":
            depth -= 1
            if depth == 1:
                nested.append(("".join(own[-12:]), text[opened:i + 1]))
            elif depth == 0:
                return "".join(own), nested, i + 1
        elif depth == 1:
            own.append(ch)
    raise ShapesError("a SPARQL constraint has unbalanced braces")


def _without_parentheses(text: str) -> str:
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", " ", text)
    return text


def _bound_by_patterns(text: str, subquery: bool = False) -> bool:
    """True when $this is bound by a triple pattern of the top-level group of this (sub)query, and elsewhere
    appears only inside FILTER [NOT] EXISTS, in a FILTER of that group, or in subqueries that obey the same."""
    brace = text.find("{")
    own, nested, end = _blocks(text, brace)
    head, tail = text[:brace], text[end:]
    outer = head + own + tail
    if _NEVER.search(outer) or any(_THIS.search(m) for m in re.findall(r"BIND\s*\(([^{}]*?)\bAS\b", own, re.IGNORECASE)):
        return False
    if _AGGREGATE.search(outer) and not (subquery and re.search(r"GROUP\s+BY\b[^{}]*[?$]this\b", tail, re.IGNORECASE)):
        return False
    if (subquery and not _THIS.search(head)) or not _THIS.search(_without_parentheses(own)):
        return False
    for before, block in nested:
        if not _THIS.search(block) or re.search(r"EXISTS\s*$", before, re.IGNORECASE):
            continue
        inner = block[1:-1].strip()
        if not (inner.upper().startswith("SELECT") and _bound_by_patterns(inner, subquery=True)):
            return False
    return True


_FORBIDDEN = _keyword("MINUS", "VALUES", "SERVICE")
_SUBSELECT = re.compile(r"\{\s*SELECT\b(.*?)(?:\bWHERE\b|\{)", re.IGNORECASE | re.DOTALL)


def check_prebinding(select: str, node, prebound: set | None = None) -> None:
    """SHACL §5.2.1: a query with MINUS, VALUES or SERVICE, one that binds $this again (AS $this), or a sub-SELECT
    that does not project $this cannot be pre-bound: the shapes graph is ill-formed, a failure (pyshacl agrees)."""
    text = _skeleton(select)
    found = _FORBIDDEN.search(text)
    if found:
        raise ShapesError(f"the SPARQL constraint {node} uses {found.group(1).upper()}, which SHACL forbids (§5.2.1: pre-binding)",
                          "Rewrite the query without MINUS, VALUES and SERVICE (FILTER NOT EXISTS instead of MINUS).")
    for name in sorted(prebound or {"this"}):
        if re.search(rf"\bAS\s*[?$]{re.escape(name)}\b", text, re.IGNORECASE):
            raise ShapesError(f"the SPARQL query {node} binds ${name} again (AS ${name}), which SHACL forbids (§5.2.1)",
                              f"${name} is pre-bound; bind another variable.")
    for projection in _SUBSELECT.findall(text):
        # as pyshacl reads §5.2.1: a projection of plain variables (or *) must name $this; one that computes
        # expressions (SELECT (COUNT(?n) AS ?count)) is an aggregate over the whole data and is allowed
        if "(" not in projection and not _THIS.search(projection):
            raise ShapesError(f"a sub-SELECT of the SPARQL constraint {node} does not project $this, which SHACL forbids (§5.2.1)",
                              "Project $this from every sub-SELECT (SELECT $this …).")


def prebinding_by_substitution(select: str) -> bool:
    """True when pyoxigraph's `substitutions` pre-bind $this wherever the query uses it. They bind $this at the top of
    the query, in sub-SELECTs and in EXISTS, but a FILTER or BIND inside a nested group sees $this unbound
    (tests/w3c/shacl: pre-binding-003..005); such queries get $this written into the text instead."""
    text = _skeleton(select)
    if re.search(r"\bBIND\s*\([^{}]*?[?$]this\b", text, re.IGNORECASE):
        return False
    brace = text.find("{")
    if brace < 0:
        return True
    _own, nested, _end = _blocks(text, brace)
    for before, block in nested:
        if _THIS.search(block) and not re.search(r"EXISTS\s*$", before, re.IGNORECASE):
            inner = block[1:-1].strip()
            subquery = inner.upper().startswith("SELECT") and prebinding_by_substitution(inner[inner.find("{"):] if "{" in inner else inner)
            if not subquery and not _plain_patterns(block):
                return False
    return True


def _plain_patterns(block: str) -> bool:
    """A nested group whose $this appears only in triple patterns (not in a FILTER, BIND or a deeper group):
    joining it on $this is what pre-binding gives."""
    inner = block[1:-1]
    return "{" not in inner and not re.search(r"\b(FILTER|BIND)\b", inner, re.IGNORECASE)


def prebound_text(select: str, term: str | dict) -> str:
    """The query with $this (or each variable of a dict: name -> term) pre-bound to a term (an IRI or literal in
    SPARQL syntax) by writing it into the text, as SHACL §5.2.1 defines pre-binding: every occurrence, in nested
    groups and sub-SELECTs too. In a projection, $this becomes (term AS ?_thisN); bound($this) is true."""
    terms = term if isinstance(term, dict) else {"this": term}
    pieces, last, counter = [], 0, [0]
    for m in _LEXEMES.finditer(select):
        pieces.append(_prebind_code(select[last:m.start()], terms, counter))
        pieces.append(m.group(0))
        last = m.end()
    pieces.append(_prebind_code(select[last:], terms, counter))
    return "".join(pieces)


def _prebind_code(code: str, terms: dict, counter: list) -> str:
    for name, term in terms.items():
        variable = rf"[?$]{re.escape(name)}\b"
        code = re.sub(rf"\bBOUND\s*\(\s*{variable}\s*\)", "(true)", code, flags=re.IGNORECASE)

        def projection(m: re.Match, term=term, variable=variable) -> str:
            def one(v: re.Match) -> str:
                counter[0] += 1
                return f"({term} AS ?_bound{counter[0]})"
            return m.group(1) + re.sub(variable, one, m.group(2))
        code = re.sub(r"(\bSELECT\b\s*(?:DISTINCT\b|REDUCED\b)?)((?:\s*[?$]\w+)+)", projection, code, flags=re.IGNORECASE)
        code = re.sub(rf"(\bGROUP\s+BY\b[^{{}}]*?){variable}", lambda m, term=term: m.group(1) + f"({term})", code, flags=re.IGNORECASE)
        code = re.sub(variable, lambda _, term=term: term, code)
    return code


_PREFIX_DECLARATION = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w?$<])([A-Za-z][\w.-]*)?:((?:[\w.-]|%[0-9A-Fa-f]{2})*)")
# a variable or a negated property set where a predicate stands: after a subject term, or after ';'
_ANY_PREDICATE = re.compile(r"(?:[?$]\w+|<>|\]|[\w-]*:[\w.-]*)\s+[?$]\w+\s+(?:[?$]\w+|<>|\[|\(|\"\"|[\w-]*:[\w.-]*|[-+]?\d)|;\s*[?$]\w+\s|!")


@functools.lru_cache(maxsize=1024)
def predicates_of(query: str) -> frozenset[str] | None:
    """The IRIs a SPARQL query names (a superset of the predicates its patterns can match), or None when a pattern
    may match any predicate (a variable or a negated property set in the predicate's place)."""
    prefixes = {m.group(1): m.group(2) for m in _PREFIX_DECLARATION.finditer(query)}
    body = _PREFIX_DECLARATION.sub(" ", query)
    found = {m.group(0)[1:-1] for m in _LEXEMES.finditer(body) if m.group(0).startswith("<")}
    text = _skeleton(body)
    if _ANY_PREDICATE.search(text):
        return None
    for m in _PREFIXED.finditer(text):
        if (m.group(1) or "") in prefixes:
            found.add(prefixes[m.group(1) or ""] + m.group(2))
    if re.search(r"(?<![\w?$:])a(?![\w:])", text):
        found.add(str(RDF.type))
    return frozenset(found)


def needs_prebinding(select: str) -> bool:
    """False when running the query once, with $this unbound, and keeping the rows whose ?this is a focus
    node gives what pre-binding $this to each focus node gives (SHACL §5.2.1; see _bound_by_patterns).
    Anything else (OPTIONAL or UNION around $this, MINUS, VALUES, aggregates of the outer query, …) runs once
    per focus node, which is always right, only slower."""
    text = _skeleton(select)
    return "{" not in text or not _bound_by_patterns(text)


def in_code(query: str, pattern: re.Pattern, replacement: str) -> str:
    """query with pattern replaced outside its strings, IRIs and comments."""
    pieces, last = [], 0
    for m in _LEXEMES.finditer(query):
        pieces += [pattern.sub(lambda _: replacement, query[last:m.start()]), m.group(0)]
        last = m.end()
    return "".join([*pieces, pattern.sub(lambda _: replacement, query[last:])])
