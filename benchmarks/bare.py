"""The `bare` peer of the benchmark: the least a SPARQL endpoint over pyoxigraph can be in Flask, run under
gunicorn as such an app is deployed (`gunicorn --preload --workers 2 --threads 4 benchmarks.bare:app`, the data
file in BARE_DATA). It loads the file into an in-memory store before gunicorn forks its workers, then answers
GET ?query= and POST application/sparql-query with what pyoxigraph writes: SPARQL JSON results, or Turtle for a
graph. Nothing else: no guard, time limit, row cap, cache, metrics, content negotiation or error shape. It tells
what ecograph's request path costs beyond bare serving (issue 15: point lookups at bare-server speed)."""

from __future__ import annotations

import os

import pyoxigraph as ox
from flask import Flask, Response, request

store = ox.Store()
if os.environ.get("BARE_DATA"):
    store.bulk_load(path=os.environ["BARE_DATA"], format=ox.RdfFormat.N_QUADS)
app = Flask(__name__)


@app.route("/sparql", methods=["GET", "POST"])
def sparql():
    text = request.args.get("query") if request.method == "GET" else request.get_data(as_text=True)
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return Response(result.serialize(format=ox.RdfFormat.TURTLE), content_type="text/turtle")
    return Response(result.serialize(format=ox.QueryResultsFormat.JSON), content_type="application/sparql-results+json")


@app.route("/healthz")
def healthz():
    return {"ok": True}
