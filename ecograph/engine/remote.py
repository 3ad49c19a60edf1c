"""A remote SPARQL 1.1 endpoint as the store behind ecograph's front (`serve --store URL`).

ecograph keeps everything users see: the guard (updates, SERVICE, LOAD, FROM, deep queries are refused
before anything is sent), the time limit, the row cap, named queries, linked-data pages and validation.
Only the query itself goes to the engine, over the SPARQL 1.1 Protocol, always with an explicit dataset:
the default graph is the union of the served graphs (or the layer asked for) and the named graphs are
the served ones, so that the engine's own system graphs never show. The engine's endpoint is never exposed.

Named-query parameters are bound by the engine on the embedded store; a remote engine has no such protocol,
so here they become BINDs at the top of the query's WHERE groups, written from typed terms (never from raw
text). Tested against Virtuoso (tests/http/test_virtuoso.py); any SPARQL 1.1 endpoint should do."""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

from ecograph.engine.answers import Answer, Busy, QueryTimeout
from ecograph.engine.answers import answer as _answer
from ecograph.engine.job import Job
from ecograph.errors import EcographError, QueryError
from ecograph.namespaces import DEFAULT_GRAPH as DEFAULT_GRAPH_IRI
from ecograph.rdf.terms import XSD_BOOLEAN, from_json, from_ox, to_sparql

# A graph no store holds: the default graph "empty", or "no named graphs", said in the protocol's terms.
EMPTY_GRAPH = "urn:x-ecograph:empty"


# The most of one answer read from the store: the row cap is applied after reading, so this bounds the memory.
MAX_ANSWER_BYTES = 256_000_000


class AnswerTooLarge(EcographError):
    status = 503
    exit_code = 2
    hint = "Ask for fewer rows (LIMIT) or fewer columns."


class StoreUnavailable(EcographError):
    status = 503
    exit_code = 2
    hint = "The SPARQL store behind this server does not answer; check that it runs (scripts/virtuoso status)."


# ------------------------------------------------------------------ terms and query text

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term_text(term: tuple) -> str:
    """A term as SPARQL text, escaped (rdf/terms.to_sparql): never raw input; a term that cannot be written is a QueryError."""
    try:
        return to_sparql(term)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc


def _groups(query: str) -> list[tuple[int, int, bool]]:
    """(open, close, is a GRAPH's body) of the query's group graph patterns: every '{' except a CONSTRUCT
    template's and a VALUES block's, skipping strings, IRIs and comments."""
    groups, stack, code = [], [], []  # code: the text outside strings, IRIs and comments
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            i = query.find("\n", i)
            if i < 0:
                break
        elif c in "\"'":
            quote = query[i:i + 3] if query[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not query.startswith(quote, i):
                i += 2 if query[i] == "\\" else 1
            i += len(quote) - 1
            code.append(" ")
        elif c == "<" and (end := re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:])):
            i += end.end() - 1
            code.append(" ")
        elif c == "{":
            before = "".join(code[-200:])
            template = re.search(r"\b(CONSTRUCT|VALUES\s*(\?\w+|\([^()]*\)))\s*$", before, re.IGNORECASE)
            graph = re.search(r"\bGRAPH\s*([?$]\w+|[\w.-]*:[\w.-]*)?\s*$", before, re.IGNORECASE)  # an IRI is a space here
            stack.append((i, not template, bool(graph)))
            code.append(c)
        elif c == "}":
            if stack:
                opened, is_group, graph = stack.pop()
                if is_group:
                    groups.append((opened, i, graph))
            code.append(c)
        else:
            code.append(c)
        i += 1
    if not groups:
        raise QueryError("the query has no group graph pattern to bind its parameters in")
    return sorted(groups)


def _strip_comments(text: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", text)


def bind(query: str, substitutions: dict[str, tuple]) -> str:
    """The query with its parameters bound as the embedded engine binds them, throughout the query: a BIND
    opens each group that mentions the parameter. (BIND, not VALUES: Virtuoso's planner hangs on some of the
    named queries with a VALUES block in front.) In a GRAPH's group the BINDs stand in a group of their own,
    `GRAPH ?g { { BIND (…) } … }`: the same join, and Virtuoso 7.2.5 returns no row at all from a
    `GRAPH ?g { BIND (…) … }`."""
    if not substitutions:
        return query
    inserts = []
    groups = _groups(query)
    bound: set[str] = set()
    for opened, closed, graph in groups:
        inside = query[opened:closed]
        if re.match(r"\{\s*SELECT\b", _strip_comments(inside), re.IGNORECASE):  # a sub-SELECT stands alone in its group
            continue
        names = [name for name in sorted(substitutions) if re.search(rf"[?$]{re.escape(name)}\b", _strip_comments(inside))]
        if names:
            bound.update(names)
            binds = " ".join(f"BIND ({term_text(substitutions[name])} AS ?{name})" for name in names)
            inserts.append((opened + 1, "{ " + binds + " }" if graph else binds))
    # a variable only projected or grouped by (?layer, shown but used in no pattern): bound in the outermost group
    text = _strip_comments(query)
    shown = [name for name in sorted(substitutions) if name not in bound and re.search(rf"[?$]{re.escape(name)}\b", text)]
    if shown and groups:
        outer = min(groups)[0]
        inserts.append((outer + 1, " ".join(f"BIND ({term_text(substitutions[name])} AS ?{name})" for name in shown)))
    for at, text in sorted(inserts, reverse=True):
        query = query[:at] + " " + text + " " + query[at:]
    return query


def prologue(job: Job) -> str:
    lines = []
    if job.base_iri:
        lines.append(f"BASE {term_text(('uri', job.base_iri, None, None))}")
    for prefix, ns in sorted((job.prefixes or {}).items()):
        lines.append(f"PREFIX {prefix}: {term_text(('uri', ns, None, None))}")
    return "\n".join(lines) + ("\n" if lines else "")


def dataset(job: Job, graphs: list[str]) -> list[tuple[str, str]]:
    """The protocol's default-graph-uri / named-graph-uri for a job (see stores._run for the same rules)."""
    if job.empty_default_graph:
        default = [EMPTY_GRAPH]
    elif job.default_graphs is not None:
        # the store's own default graph (no graph, or named by serving.DEFAULT_GRAPH_IRI): empty in a build
        default = [EMPTY_GRAPH if g == DEFAULT_GRAPH_IRI else g for g in job.default_graphs] or [EMPTY_GRAPH]
    else:
        default = graphs  # the union of the served graphs
    named = list(job.named_graphs) if job.named_graphs is not None else graphs
    return [("default-graph-uri", g) for g in default] + [("named-graph-uri", g) for g in (named or [EMPTY_GRAPH])]


# ------------------------------------------------------------------ answers

def _json_term(t: dict | None):
    term = from_json(t)
    if term is not None and term[2] == XSD_BOOLEAN and term[1] in ("0", "1"):  # Virtuoso writes stored booleans as 0 / 1
        return ("literal", "true" if term[1] == "1" else "false", XSD_BOOLEAN, None)
    return term


def _parse(form: str, body: bytes, content_type: str, limit: int) -> Answer:
    if "json" in content_type:
        data = json.loads(body)
        if "boolean" in data:
            return _answer("ASK", [], [], limit, bool(data["boolean"]))
        variables = data["head"].get("vars", [])
        bindings = data["results"]["bindings"]
        if form == "ASK" or variables == ["__ASK_RETVAL"]:  # Virtuoso answers ASK as a one-row SELECT
            value = bindings[0]["__ASK_RETVAL"]["value"] if bindings else "0"
            return _answer("ASK", [], [], limit, value not in ("0", "false"))
        return _answer("SELECT", variables, (tuple(_json_term(b.get(v)) for v in variables) for b in bindings), limit)
    import pyoxigraph as ox

    triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES if "n-triples" in content_type or "text/plain" in content_type else ox.RdfFormat.TURTLE)
    return _answer("GRAPH", [], ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in triples), limit)


class RemotePool:
    """The worker pool's interface over a remote endpoint: at most `size` queries at once, each with the time limit."""

    engine = "remote"

    def __init__(self, endpoint: str, graphs: list[str], size: int = 2):
        self.endpoint = endpoint
        self.graphs = graphs
        self.size = size
        self.restarts = 0
        self._slots = threading.BoundedSemaphore(size)

    def run(self, job: Job, timeout_s: float, wait_s: float = 30.0) -> Answer:
        if not self._slots.acquire(timeout=wait_s):
            raise Busy("every query slot is busy")
        try:
            return self._run(job, timeout_s)
        finally:
            self._slots.release()

    def _run(self, job: Job, timeout_s: float) -> Answer:
        form = job.form or "SELECT"
        text = prologue(job) + bind(job.query, dict(job.substitutions or {}))
        fields = [("query", text), *dataset(job, self.graphs)]
        accept = "application/n-triples, text/turtle;q=0.5" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        request = urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                if response.headers.get("X-SQL-State") == "S1TAT":  # Virtuoso's partial ("anytime") answer
                    raise QueryTimeout(f"the store stopped the query at its time limit (limit here: {timeout_s:g} s)")
                body = response.read(MAX_ANSWER_BYTES + 1)
                if len(body) > MAX_ANSWER_BYTES:
                    raise AnswerTooLarge(f"the store's answer is larger than {MAX_ANSWER_BYTES // 1_000_000} MB")
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace").strip().splitlines()
            if 400 <= exc.code < 500:
                raise QueryError(f"the store refused the query: {message[0] if message else exc.reason}") from exc
            raise StoreUnavailable(f"the store answered {exc.code}: {message[0] if message else exc.reason}") from exc
        except TimeoutError as exc:
            raise QueryTimeout(f"the query was stopped at the time limit of {timeout_s:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"the query was stopped at the time limit of {timeout_s:g} s") from exc
            raise StoreUnavailable(f"the store at {self.endpoint} does not answer: {exc.reason}") from exc
        return _parse(form, body, content_type, job.max_rows)

    def close(self) -> None:
        pass


def check_counts(endpoint: str, counts: dict[str, int], timeout_s: float = 60.0) -> None:
    """Refuse a store whose graphs do not hold exactly the build's triple counts (not loaded, or another build)."""
    pool = RemotePool(endpoint, sorted(counts), size=1)
    answer = pool.run(Job("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", 10_000), timeout_s)
    found = {row[0][1]: int(row[1][1]) for row in answer.rows if row[0] is not None}
    wrong = {g: (n, found.get(g, 0)) for g, n in counts.items() if found.get(g, 0) != n}
    if wrong:
        detail = "; ".join(f"{g.rsplit('/', 1)[-1]}: {have} triples, the build has {want}" for g, (want, have) in sorted(wrong.items()))
        raise StoreUnavailable(f"the store at {endpoint} does not hold this build ({detail})",
                               "Load the build into it first: ecograph load --into …")
