"""The SPARQL 1.1 Graph Store HTTP Protocol, read-only: GET /rdf-graph-store?default or ?graph=IRI returns
one graph in any RDF syntax by Accept; every other method is refused (405), as the store is read-only."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ecograph.engine import results
from ecograph.engine.guard import Refused
from ecograph.engine.job import Job
from ecograph.errors import UsageError
from ecograph.http.sparql import NotAcceptable

blueprint = Blueprint("gsp", __name__)
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "application/n-quads",
               "application/trig"]


class GraphNotFound(UsageError):
    status = 404
    hint = "The graphs of this dataset are listed in the service description (GET /sparql)."


@blueprint.route("/rdf-graph-store", methods=["GET", "HEAD"])
def graph_store():
    engine = current_app.extensions["ecograph"]
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default == bool(graphs) or len(graphs) > 1:
        raise UsageError("give exactly one of ?default or ?graph=IRI")
    media = results.negotiate(request.headers.get("Accept"), GRAPH_TYPES)
    if media is None:
        raise NotAcceptable("none of the requested types is an RDF syntax this server writes")
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    if default:
        # the store's default graph (empty in a build: every triple lives in a named graph)
        job = Job(everything, engine.settings.max_rows, "CONSTRUCT", default_graphs=())
    else:
        iri = graphs[0]
        if iri not in engine.served.graphs:
            if iri.startswith(("http://", "https://")):
                raise GraphNotFound(f"no graph <{iri}> in this dataset")
            raise Refused(f"'{iri}' is not an absolute IRI")
        job = Job(everything, engine.settings.max_rows, "CONSTRUCT", default_graphs=(iri,))
    answer = engine.pool.run(job, engine.settings.query_timeout_s)
    body = results.to_rdf(answer, results.GRAPH_TYPES[media], engine.settings.max_rows)
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["X-Ecograph-Truncated"] = f"true; max-rows={engine.settings.max_rows}" if answer.truncated else "false"
    return response
