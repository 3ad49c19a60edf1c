"""The ontology as linked data: `…/ontology`, every `…/ontology#Term` and the current version IRI resolve to the
one document, negotiated directly by `Accept` (hash IRIs: the fragment never reaches the server; "Cool URIs for
the Semantic Web", §4.1), with `Vary` and a `Content-Location` naming the dump that was served. The HTML page is
drawn from the served release's ontology with an example triple of the data for each own term (docs/ontology.py).
Instances and the build's graphs: linked.py."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ecograph.docs import ontology as ontodoc
from ecograph.engine import results
from ecograph.engine.answers import Busy, EngineCrashed, QueryTimeout
from ecograph.http import pages
from ecograph.http.data import send_file_cached
from ecograph.http.language import html_context, language
from ecograph.http.linked import HTML, RDF_DOCS, NotFound, app_engine, negotiate, rows_of, run_query
from ecograph.namespaces import BASE, ONTOLOGY_IRI
from ecograph.rdf.terms import to_sparql

blueprint = Blueprint("ontology", __name__)

ONTOLOGY_FILES = {"text/turtle": "ontology.ttl", HTML: "ontology.html", "application/rdf+xml": "ontology.rdf",
                  "application/ld+json": "ontology.jsonld", "application/n-triples": "ontology.nt"}
ONTOLOGY_OFFERED = ["text/turtle", HTML, "application/rdf+xml", "application/ld+json", "application/n-triples",
                    "application/xhtml+xml"]
OWL_VERSION_IRI = "http://www.w3.org/2002/07/owl#versionIRI"
ONTOLOGY_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{BASE}graph/ontology> {{ ?s ?p ?o }} }}"
# The example triples of the ontology page (ecograph.docs.ontology.pick_examples picks one per term from these):
# for each own property, and each own class as the object of rdf:type, the smallest subject IRI in each graph
# (MIN(STR()) compares code points, as Python does); then every object of the property's first subject there
# (in a second query: joined in one, rdflib's planner took 12 s on the seed). Labels for what they name.
_EXAMPLE_GRAPHS = "VALUES ?g { " + " ".join(f"<{g}>" for g in ontodoc.EXAMPLE_GRAPHS) + " }"
PROPERTY_FIRSTS_QUERY = f"""SELECT ?g ?p (MIN(STR(?s0)) AS ?first) WHERE {{ {_EXAMPLE_GRAPHS} GRAPH ?g {{ ?s0 ?p ?o0 }}
  FILTER(isIRI(?s0) && STRSTARTS(STR(?p), "{ONTOLOGY_IRI}#")) }} GROUP BY ?g ?p"""
PROPERTY_EXAMPLES_QUERY = "SELECT ?g ?s ?p ?o WHERE { VALUES (?g ?p ?s) { $ROWS } GRAPH ?g { ?s ?p ?o } }"
CLASS_EXAMPLES_QUERY = f"""SELECT ?g ?o (MIN(STR(?s0)) AS ?first) WHERE {{ {_EXAMPLE_GRAPHS} GRAPH ?g {{ ?s0 a ?o }}
  FILTER(isIRI(?s0) && STRSTARTS(STR(?o), "{ONTOLOGY_IRI}#")) }} GROUP BY ?g ?o"""
EXAMPLE_LABELS_QUERY = "SELECT DISTINCT ?x ?l WHERE { VALUES (?x) { $IRIS } " + _EXAMPLE_GRAPHS + """
  GRAPH ?g { ?x rdfs:label ?l } FILTER(isLiteral(?l)) }"""


@dataclass
class _Ontology:
    ntriples: bytes
    version_iri: str | None


_ONTOLOGY: dict[str, _Ontology] = {}
_ONTOLOGY_HTML: dict[tuple[str, tuple], str] = {}
_ONTOLOGY_EXAMPLES: dict[str, ontodoc.Examples] = {}
_ONTOLOGY_LOCK = threading.Lock()


def _ontology() -> _Ontology:
    """The ontology graph of the served release (from dist/ontology.nt, or the store's ontology graph)."""
    served = app_engine().served
    cached = _ONTOLOGY.get(served.release)
    if cached is not None:
        return cached
    if served.dist is not None:
        ntriples = (Path(served.dist) / "ontology.nt").read_bytes()
    elif BASE + "graph/ontology" in served.graphs:
        ntriples = results.to_rdf(run_query(ONTOLOGY_QUERY), "nt", app_engine().settings.max_rows)
    else:
        raise NotFound("this server serves data files without an ontology graph", "Serve a build, or include the ontology graph.")
    version = next((t.object.value for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
                    if t.subject == ox.NamedNode(ONTOLOGY_IRI) and t.predicate.value == OWL_VERSION_IRI), None)
    with _ONTOLOGY_LOCK:
        return _ONTOLOGY.setdefault(served.release, _Ontology(ntriples, version))


def _ontology_html(order: tuple[str, str]) -> str:
    release = app_engine().served.release
    cached = _ONTOLOGY_HTML.get((release, order))
    if cached is None:
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=_ontology().ntriples.decode("utf-8"), format="nt")
        examples = _ontology_examples()
        h = html_context()
        cached = ontodoc.render(graph, order, examples, chrome=(pages.site_head(h), pages.site_nav(h, "/ontology")))
        if examples is not None:  # a page without its examples (the store was busy) is not kept
            with _ONTOLOGY_LOCK:
                _ONTOLOGY_HTML[(release, order)] = cached
    return cached


def _ontology_examples() -> ontodoc.Examples | None:
    """An example triple of the served data for each own term, with labels; None when the store could not answer
    in time (the page is then shown without examples)."""
    release = app_engine().served.release
    cached = _ONTOLOGY_EXAMPLES.get(release)
    if cached is not None:
        return cached
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    try:
        firsts = [(r["g"], r["p"], ("uri", r["first"][1], None, None)) for r in rows_of(run_query(PROPERTY_FIRSTS_QUERY, union=False))]
        query = PROPERTY_EXAMPLES_QUERY.replace("$ROWS", _values(firsts))
        rows = [(r["g"][1], r["s"][1], r["p"][1], r["o"]) for r in rows_of(run_query(query, union=False))] if firsts else []
        rows += [(r["g"][1], r["first"][1], rdf_type, r["o"]) for r in rows_of(run_query(CLASS_EXAMPLES_QUERY, union=False))]
        terms = {r[2] for r in rows if r[2] != rdf_type} | {r[3][1] for r in rows if r[2] == rdf_type}
        found = ontodoc.Examples(ontodoc.pick_examples(rows, terms))
        found.labels = _example_labels(found.iris())
    except (QueryTimeout, Busy, EngineCrashed):
        return None
    with _ONTOLOGY_LOCK:
        return _ONTOLOGY_EXAMPLES.setdefault(release, found)


def _values(rows: list[tuple]) -> str:
    """Rows of IRI terms (found in the store) as the rows of a VALUES block, each escaped; an IRI that could not
    be written safely leaves its row out."""
    out = []
    for row in rows:
        try:
            out.append("(" + " ".join(to_sparql(term) for term in row) + ")")
        except ValueError:
            continue
    return " ".join(out)


def _example_labels(iris: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The rdfs:labels of the IRIs an example names."""
    values = _values([(("uri", iri, None, None),) for iri in iris])
    labels: dict[str, set] = {}
    if values:
        for row in rows_of(run_query(EXAMPLE_LABELS_QUERY.replace("$IRIS", values), union=False)):
            labels.setdefault(row["x"][1], set()).add((row["l"][3] or "", row["l"][1]))
    return {iri: sorted(found) for iri, found in sorted(labels.items())}


@blueprint.route("/ontology")
def ontology():
    """The ontology (and every ontology#Term): HTML for browsers, RDF by Accept, negotiated directly."""
    return _ontology_response()


@blueprint.route("/ontology/<path:version>")
def ontology_version(version: str):
    """The version IRI of the current ontology resolves to the same document; older versions are not kept."""
    current = _ontology().version_iri
    if current is None or ONTOLOGY_IRI + "/" + version != current:
        raise NotFound(f"no ontology version <{ONTOLOGY_IRI}/{version}> here", f"The current version is <{current}>.")
    return _ontology_response()


def _ontology_response() -> Response:
    doc = _ontology()
    media = negotiate(ONTOLOGY_OFFERED)
    order, _ = language()
    dist = app_engine().served.dist
    name = ONTOLOGY_FILES[media]
    if dist is not None and media != HTML:  # the dump itself (the HTML is drawn with the site's navigation)
        response = send_file_cached(Path(dist) / name, media)
        response.headers["Content-Location"] = f"{request.script_root}/dumps/{name}"
    elif media == HTML:
        response = Response(_ontology_html(order), content_type="text/html; charset=utf-8")
    else:
        ext = {"ontology.ttl": "ttl", "ontology.rdf": "rdf", "ontology.jsonld": "jsonld", "ontology.nt": "nt"}[name]
        triples = list(ox.parse(doc.ntriples, format=ox.RdfFormat.N_TRIPLES))
        response = Response(ox.serialize(triples, format=RDF_DOCS[ext][1]), content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language, Accept-Encoding"
    return response
