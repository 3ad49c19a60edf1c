"""GraphStore: load a dataset, run SPARQL. pyoxigraph for speed; rdflib in memory behind the same interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ecograph.errors import QueryError, UsageError
from ecograph.rdf.formats import OXIGRAPH, RDFLIB

XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Term:
    """An RDF term in a result, independent of the engine."""

    kind: str  # "uri", "literal" or "bnode"
    value: str
    datatype: str | None = None
    language: str | None = None

    def plain(self) -> str:
        """The value as a CSV cell shows it: the IRI, or the literal's lexical form."""
        return self.value


@dataclass
class Result:
    """A query result: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples (as N-Triples lines)."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[str] = field(default_factory=list)


def _from_ox(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        lang = term.language
        dt = None if lang else term.datatype.value
        return Term("literal", term.value, datatype=dt, language=lang)
    return Term("literal", str(term))


def _to_ox(term: Term):
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD + "string"))

LOADED = (".nq", ".trig", ".ttl", ".nt")  # what a build writes and the CLI's store loads


class OxigraphStore:
    """The default store: pyoxigraph, in memory or on disk (path)."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None, read_only: bool = False):
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise UsageError(f"cannot open the store at {path}: {exc}", "Run `ecograph build` to make a fresh one.") from exc

    def load(self, path: Path) -> None:
        """Load an N-Quads, TriG, Turtle or N-Triples file."""
        fmt = OXIGRAPH.get(path.suffix) if path.suffix in LOADED else None
        if fmt is None:
            raise UsageError(f"cannot load {path.name}: unknown format")
        self._store.bulk_load(path=str(path), format=fmt)

    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str, substitutions: dict[str, Term] | None = None, union: bool = True) -> Result:
        """Run a SPARQL query; the default graph is the union of the named graphs unless union=False."""
        subs = {ox.Variable(k): _to_ox(v) for k, v in (substitutions or {}).items()}
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=union, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}", "Check the query against https://www.w3.org/TR/sparql11-query/#grammar") from exc
        except OSError as exc:
            raise QueryError(f"the query failed: {exc}") from exc
        if isinstance(answer, bool):
            return Result("ask", boolean=answer)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [[_from_ox(sol[v]) for v in variables] for sol in answer]
            return Result("select", variables=variables, rows=rows)
        return Result("graph", triples=[f"{t.subject} {t.predicate} {t.object} ." for t in answer])


class RdflibStore:
    """The fallback store: rdflib in memory, for environments without pyoxigraph's speed needs."""

    name = "rdflib"

    def __init__(self):
        from rdflib import Dataset

        self._ds = Dataset(default_union=True)

    def load(self, path: Path) -> None:
        fmt = RDFLIB.get(path.suffix) if path.suffix in LOADED else None
        if fmt is None:
            raise UsageError(f"cannot load {path.name}: unknown format")
        if fmt in ("turtle", "nt"):
            self._ds.default_context.parse(path, format=fmt)
        else:
            self._ds.parse(path, format=fmt)

    def __len__(self) -> int:
        return len(self._ds)

    def query(self, sparql: str, substitutions: dict[str, Term] | None = None, union: bool = True) -> Result:
        from pyparsing import ParseException
        from rdflib import BNode, Literal, URIRef, Variable

        def to_rdflib(t: Term):
            if t.kind == "uri":
                return URIRef(t.value)
            if t.kind == "bnode":
                return BNode(t.value)
            return Literal(t.value, lang=t.language, datatype=None if t.language else URIRef(t.datatype or XSD + "string"))

        def from_rdflib(t) -> Term | None:
            if t is None:
                return None
            if isinstance(t, URIRef):
                return Term("uri", str(t))
            if isinstance(t, BNode):
                return Term("bnode", str(t))
            lang = t.language
            return Term("literal", str(t), datatype=None if lang else str(t.datatype or XSD + "string"), language=lang)

        self._ds.default_union = union
        bindings = {Variable(k): to_rdflib(v) for k, v in (substitutions or {}).items()}
        try:
            answer = self._ds.query(sparql, initBindings=bindings)
        except ParseException as exc:
            raise QueryError(f"SPARQL syntax error: line {exc.lineno}, column {exc.col}: {exc.msg}") from exc
        if answer.type == "ASK":
            return Result("ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            variables = [str(v) for v in answer.vars]
            rows = [[from_rdflib(row[v]) for v in answer.vars] for row in answer]
            return Result("select", variables=variables, rows=rows)
        return Result("graph", triples=[f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in answer.graph])


def open_store(kind: str = "oxigraph", path: Path | None = None, read_only: bool = False):
    """A store of the given kind ('oxigraph' or 'rdflib')."""
    if kind == "oxigraph":
        return OxigraphStore(path, read_only)
    if kind == "rdflib":
        return RdflibStore()
    raise UsageError(f"unknown store '{kind}'", "Use 'oxigraph' or 'rdflib'.")
