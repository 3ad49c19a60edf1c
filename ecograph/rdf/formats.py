"""RDF file formats, once: a file's suffix with its rdflib parser name, its pyoxigraph format and its media type.
The loader, the serving store, the CLI's store, the dumps and the dataset description all read this table."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfFormat:
    suffix: str
    rdflib: str  # rdflib's parser and serialiser name
    oxigraph: ox.RdfFormat
    media: str
    quads: bool = False  # the syntax carries named graphs


FORMATS = (
    RdfFormat(".ttl", "turtle", ox.RdfFormat.TURTLE, "text/turtle"),
    RdfFormat(".nt", "nt", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    RdfFormat(".trig", "trig", ox.RdfFormat.TRIG, "application/trig", quads=True),
    RdfFormat(".nq", "nquads", ox.RdfFormat.N_QUADS, "application/n-quads", quads=True),
    RdfFormat(".jsonld", "json-ld", ox.RdfFormat.JSON_LD, "application/ld+json"),
    RdfFormat(".rdf", "xml", ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    RdfFormat(".owl", "xml", ox.RdfFormat.RDF_XML, "application/rdf+xml"),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS}
RDFLIB = {f.suffix: f.rdflib for f in FORMATS}  # suffix -> rdflib format name
OXIGRAPH = {f.suffix: f.oxigraph for f in FORMATS}  # suffix -> pyoxigraph format
MEDIA = {f.suffix: f.media for f in FORMATS}  # suffix -> media type
