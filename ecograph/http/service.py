"""The SPARQL 1.1 Service Description served at GET /sparql with no query: only the features that are
really on (union default graph, unless the default_graph setting is 'default'; no federation, no update), the
result formats, the graphs, and the limits."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, current_app, request

from ecograph.engine import results
from ecograph.namespaces import ECO

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML"]
SD_TYPES = ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def description_triples(endpoint: str) -> list[ox.Triple]:
    engine = current_app.extensions["ecograph"]
    settings, served = engine.settings, engine.served
    service = _n(endpoint)
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    out = [
        ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), service),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(service, _n(str(ECO.queryTimeoutSeconds)), ox.Literal(f"{settings.query_timeout_s:g}", datatype=_n("http://www.w3.org/2001/XMLSchema#decimal"))),
        ox.Triple(service, _n(str(ECO.maxRows)), _int(settings.max_rows)),
        ox.Triple(service, _n(str(ECO.maxRequestBytes)), _int(settings.max_request_bytes)),
    ]
    out += [ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + f)) for f in RESULT_FORMATS]
    if settings.default_graph == "union":  # the default_graph setting: else the store's own default graph
        out.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")))
    for i, graph in enumerate(served.graphs):
        named = ox.BlankNode(f"g{i}")
        out += [ox.Triple(dataset, _n(SD + "namedGraph"), named), ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
                ox.Triple(named, _n(SD + "name"), _n(graph))]
    return out


def service_description(accept: str | None) -> Response:
    media = results.negotiate(accept, SD_TYPES) or "text/turtle"
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-triples": ox.RdfFormat.N_TRIPLES}[media]
    body = ox.serialize(description_triples(request.base_url), format=fmt)
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
