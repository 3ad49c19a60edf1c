"""What a store serves: the RDF files of a release or of `serve --data` (Source), how each is read (its format and
base IRI), and the name of the store's own default graph. Read by serving.py (which makes the stores) and by
workers.py (which loads them), below both."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ecograph.errors import UsageError
from ecograph.namespaces import DEFAULT_GRAPH
from ecograph.rdf.formats import OXIGRAPH

FORMATS = OXIGRAPH
QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
# The name of the store's own default graph in FROM and default-graph-uri (Apache Jena's name for it): with it a
# dataset can be the store's default graph beside other graphs, whatever the default_graph setting.
DEFAULT_GRAPH_IRI = DEFAULT_GRAPH  # (namespaces.DEFAULT_GRAPH)


@dataclass(frozen=True)
class Source:
    """One RDF file to serve. graph None: its triples go into the default graph (a TriG / N-Quads file keeps its
    own graphs); else the named graph of that IRI, declared even when the file is empty (serve --named-graph).
    base: the base IRI of its relative IRIs; empty, the base_iri setting, else the file's own file: URL."""

    path: Path
    graph: str | None = None
    base: str = ""


def as_source(item: Path | Source, base: str = "") -> Source:
    """item as a Source whose base is set: its own, else base, else the file's own file: URL (as rdflib and
    pyoxigraph read a file: a relative IRI in it then names something beside the file)."""
    source = item if isinstance(item, Source) else Source(Path(item))
    path = source.path.resolve()
    return Source(path, source.graph, source.base or base or path.as_uri())


def load_into(store: ox.Store, source: Source) -> None:
    """Load one source into a store (its graph declared first, so that an empty file still declares it)."""
    graph = ox.NamedNode(source.graph) if source.graph else None
    if graph is not None:
        store.add_graph(graph)
    store.bulk_load(path=str(source.path), format=file_format(source.path), base_iri=source.base, to_graph=graph)


def quads_of(source: Source):
    """The quads of one source, as load_into stores them."""
    graph = ox.NamedNode(source.graph) if source.graph else None
    for quad in ox.parse(path=str(source.path), format=file_format(source.path), base_iri=source.base):
        yield quad if graph is None else ox.Quad(quad.subject, quad.predicate, quad.object, graph)


def file_format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: unknown RDF file type '{path.suffix}'", f"Use one of {', '.join(sorted(FORMATS))}.")
    return fmt
