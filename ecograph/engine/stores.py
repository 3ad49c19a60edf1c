"""How a Job runs on each engine's store, and how the store is opened: pyoxigraph (an on-disk store opened
read-only, or the in-memory store of a prefork worker) and, the slower fallback (store = "rdflib"), an in-memory
rdflib Dataset of the served files. Both answer the same jobs with the same Answer. ENGINES names them for the
process models (workers.py, threaded.py, local.py)."""

from __future__ import annotations

import functools
import itertools

import pyoxigraph as ox

from ecograph.engine.answers import Answer
from ecograph.engine.answers import answer as _answer
from ecograph.engine.guard import CACHED_TEXT_CHARS
from ecograph.engine.job import Job
from ecograph.engine.native import select_answer
from ecograph.engine.results import GRAPH_TYPES as GRAPH_MEDIA
from ecograph.engine.results import RESULT_TYPES, rdf_body
from ecograph.namespaces import DEFAULT_GRAPH, PREFIX_MAP
from ecograph.rdf.terms import from_ox, from_rdflib, ox_to_rdflib, to_ox, to_rdflib

# ------------------------------------------------------------------ oxigraph: an on-disk store, opened read-only

def _open_oxigraph(store_path: str):

    return ox.Store.read_only(store_path)


def prefixes_used(text: str, prefixes) -> dict[str, str] | None:
    """Of the prefixes predeclared for a query, those its text may use: each whose "label:" occurs anywhere in it.
    A prefixed name writes its label as it is (no escape can stand for it), so none the query uses is left out;
    one that only occurs in a string or an IRI is passed for nothing, and changes nothing. pyoxigraph parses every
    prefix it is given on every query: the project's 28 cost 33 µs of each at a million quads, two thirds of what
    a point lookup's own evaluation takes. For the project's map (the usual case) the answer is remembered per text,
    as the guard remembers its analysis (texts up to guard.CACHED_TEXT_CHARS)."""
    if not prefixes:
        return None
    if prefixes is PREFIX_MAP and len(text) <= CACHED_TEXT_CHARS:
        return _project_prefixes_used(text)
    return _named_in(text, prefixes)


@functools.lru_cache(maxsize=512)
def _project_prefixes_used(text: str) -> dict[str, str] | None:
    return _named_in(text, PREFIX_MAP)


def _named_in(text: str, prefixes) -> dict[str, str] | None:
    return {label: iri for label, iri in prefixes.items() if label + ":" in text} or None


def _run(store, job: Job) -> Answer:

    kwargs = {"prefixes": prefixes_used(job.query, job.prefixes)}
    if job.base_iri:
        kwargs["base_iri"] = job.base_iri
    if job.empty_default_graph:
        kwargs["default_graph"] = []  # an empty default graph (not the store's own default graph)
    elif job.default_graphs is not None:
        kwargs["default_graph"] = [_graph_name(g) for g in job.default_graphs] or ox.DefaultGraph()
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): to_ox(v) for k, v in job.substitutions.items()}
    result = store.query(job.query, **kwargs)
    limit = job.max_rows
    if isinstance(result, (ox.QueryBoolean, bool)):
        return _answer("ASK", [], [], limit, bool(result))
    if isinstance(result, ox.QuerySolutions):
        if job.media in RESULT_TYPES:  # pyoxigraph writes the rows (engine/native.py); a truncated answer, results.py
            return select_answer(result, job, again=lambda: store.query(job.query, **kwargs))
        variables = [v.value for v in result.variables]
        # a solution iterates over its values in the order of the variables (None where unbound)
        return _answer("SELECT", variables, (tuple(map(from_ox, s)) for s in result), limit)
    if job.media in GRAPH_MEDIA:  # the triples go straight to pyoxigraph's writer: no term is read into Python
        taken = list(itertools.islice(result, limit + 1))
        truncated = len(taken) > limit
        body = rdf_body(taken[:limit], GRAPH_MEDIA[job.media], truncated, limit)
        return Answer("GRAPH", [], [], None, truncated, body)
    return _answer("GRAPH", [], ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result), limit)


def _graph_name(iri: str):
    """A graph of a job's default graph as pyoxigraph names it: the store's own default graph has a name of ours."""

    return ox.DefaultGraph() if iri == DEFAULT_GRAPH else ox.NamedNode(iri)


# ------------------------------------------------------------------ rdflib: the served files, in memory

class _RdflibData:
    """The served RDF files in an in-memory rdflib Dataset (loaded once, then only read), and the datasets
    a job asks for: its default graph and the named graphs GRAPH may see."""

    def __init__(self, files: list):
        from rdflib import Dataset, URIRef

        from ecograph.rdf.sources import as_source, quads_of

        self.dataset = Dataset(default_union=True)
        graphs: dict = {}
        for source in map(as_source, files):  # pyoxigraph parses (rdflib's own quad parsers call its deprecated Dataset API)
            if source.graph and source.graph not in graphs:  # declared, even when the file is empty
                graphs[source.graph] = self.dataset.graph(URIRef(source.graph))
            for quad in quads_of(source):
                name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
                if name not in graphs:
                    graphs[name] = self.dataset.graph(URIRef(name)) if name else self.dataset.default_graph
                graphs[name].add((ox_to_rdflib(quad.subject), ox_to_rdflib(quad.predicate), ox_to_rdflib(quad.object)))
        # the merges asked for most (the layers), kept: the data never changes
        self._merged = functools.lru_cache(maxsize=8)(self._merge)
        self._named = functools.lru_cache(maxsize=8)(self._only)

    def _merge(self, names: tuple[str, ...]):
        from rdflib import Graph

        merged = Graph()
        for name in names:
            merged += self._graph(name)
        return merged

    def _graph(self, name: str):
        from rdflib import URIRef

        from ecograph.rdf.sources import DEFAULT_GRAPH_IRI

        return self.dataset.default_graph if name == DEFAULT_GRAPH_IRI else self.dataset.get_context(URIRef(name))

    def _only(self, names: tuple[str, ...]):
        from rdflib import Dataset, URIRef

        only = Dataset()
        for name in names:
            graph = only.graph(URIRef(name))
            graph += self.dataset.get_context(URIRef(name))
        return only

    def default_graph(self, job: Job):
        from rdflib import Graph

        names = job.default_graphs
        if job.empty_default_graph:
            return Graph()
        if names is None:
            return self.dataset  # the union of every graph
        if not names:
            return self.dataset.default_graph  # the store's own default graph
        if len(set(names)) == 1:
            return self._graph(names[0])
        return self._merged(tuple(sorted(set(names))))

    def named_graphs(self, job: Job):
        names = job.named_graphs
        return self.dataset if names is None else self._named(tuple(sorted(set(names))))


def _open_rdflib(files: list) -> _RdflibData:
    import warnings

    # rdflib's SPARQL engine calls rdflib's own deprecated Dataset API (default_context, contexts)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
    return _RdflibData(files)


def _run_rdflib(data: _RdflibData, job: Job) -> Answer:
    from pyparsing import ParseException
    from rdflib import Variable
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.sparql import QueryContext

    try:
        query = translateQuery(parseQuery(job.query), job.base_iri, job.prefixes or None)
    except ParseException as exc:
        raise SyntaxError(f"error at {exc.lineno}:{exc.col}: {exc.msg}") from exc
    except Exception as exc:  # an unknown prefix, …: rdflib raises a bare Exception
        raise SyntaxError(str(exc)) from exc
    # The job's dataset replaces the query's FROM / FROM NAMED, as on the oxigraph path (sparql.py has put
    # them in the job): so evaluate the algebra in a context of our own, not through Graph.query.
    bindings = {Variable(k): to_rdflib(v) for k, v in (job.substitutions or {}).items()}
    ctx = QueryContext(data.named_graphs(job), initBindings=bindings)
    ctx.graph = data.default_graph(job)
    ctx.prologue = query.prologue
    limit = job.max_rows
    try:
        result = evalPart(ctx, query.algebra)
        if query.algebra.name == "AskQuery":
            return _answer("ASK", [], [], limit, result["askAnswer"])
        if query.algebra.name == "SelectQuery":
            variables = [str(v) for v in result["vars_"]]
            rows = (tuple(from_rdflib(b.get(v)) for v in result["vars_"]) for b in result["bindings"])
            return _answer("SELECT", variables, rows, limit)
        return _answer("GRAPH", [], (tuple(from_rdflib(t) for t in triple) for triple in result["graph"]), limit)
    except Exception as exc:  # rdflib reports a query it cannot evaluate with exceptions of many types
        raise RuntimeError(str(exc) or type(exc).__name__) from exc


ENGINES = {"oxigraph": (_open_oxigraph, _run), "rdflib": (_open_rdflib, _run_rdflib)}
