"""A Job: everything that shapes one query's answer, frozen, so that the cache can key on it and any engine (in
process, a worker process, a remote store) reads the same thing. And the layers: the one meaning of `layer`.

A layer is the dataset a query runs over, whatever the entry point (/sparql, a named query over HTTP, the CLI,
the report): its default graph is the merge of the layer's graphs, and GRAPH sees only those graphs.

    stated       what the source text states                 graph/stated
    interpreted  and the interpretations                     + graph/interpreted
    inferred     the stated facts, OWL-RL's inferences       graph/stated + graph/inferred + graph/ontology
                 from them, and the ontology
    all          every graph (the default)                   the union of every graph in the store
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ecograph.errors import UsageError
from ecograph.namespaces import BASE, PREFIX_MAP

LAYERS: dict[str, tuple[str, ...] | None] = {
    "stated": ("stated",),
    "interpreted": ("stated", "interpreted"),
    "inferred": ("stated", "inferred", "ontology"),
    "all": None,  # the union of every graph
}
DEFAULT_LAYER = "all"


def checked_layer(layer: str | None) -> str:
    """A layer's name as given (the default when None); an unknown name is a UsageError."""
    if layer is None:
        return DEFAULT_LAYER
    if layer not in LAYERS:
        raise UsageError(f"unknown layer '{layer}'", f"Use one of {', '.join(LAYERS)}.")
    return layer


def layer_graphs(layer: str, served: list[str] | frozenset[str]) -> tuple[str, ...] | None:
    """The graphs of a layer that this store serves (None: every graph); an unknown or empty layer is a UsageError."""
    names = LAYERS[checked_layer(layer)]
    if names is None:
        return None
    graphs = tuple(g for g in (f"{BASE}graph/{name}" for name in names) if g in served)
    if not graphs:
        raise UsageError(f"layer '{layer}' is not available in this dataset",
                         "Serve a build (ecograph build) to have its layers; `serve --data` files have none.")
    return graphs


@dataclass(frozen=True)
class Job:
    """One query to run, and everything its answer depends on.

    The dataset: default_graphs None is the union of every graph, () the store's own default graph, otherwise
    those graphs merged; empty_default_graph an empty default graph (FROM NAMED only); named_graphs None every
    named graph, otherwise only those. substitutions bind variables to terms (term tuples, rdf/terms.py) before the
    query runs (SEP-0007). media: the engine serialises the answer into that media type (the body of the Answer).
    """

    query: str
    max_rows: int
    form: str = "SELECT"
    prefixes: Mapping[str, str] | None = None
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    empty_default_graph: bool = False
    substitutions: Mapping[str, tuple] | None = field(default=None)
    media: str | None = None

    def key_parts(self) -> list:
        """What the answer depends on, as JSON-able values (cache.py digests them)."""
        prefixes = "project" if self.prefixes is PREFIX_MAP else sorted((self.prefixes or {}).items())  # the usual map, named
        return [self.query, self.max_rows, self.form, prefixes, self.base_iri,
                self.default_graphs, self.named_graphs, self.empty_default_graph,
                sorted((k, list(v)) for k, v in (self.substitutions or {}).items()), self.media]

    def with_media(self, media: str | None) -> Job:
        return replace(self, media=media)

    def in_layer(self, graphs: tuple[str, ...] | None) -> Job:
        """The job over a layer's graphs (layer_graphs): both its default graph and what GRAPH sees."""
        if graphs is None:
            return self
        return replace(self, default_graphs=graphs, named_graphs=graphs, empty_default_graph=False)
