"""The SPARQL 1.1 Protocol endpoint at /sparql: GET, POST form-encoded and POST application/sparql-query;
default-graph-uri / named-graph-uri; every result format by content negotiation or `format=`; read-only.
With no query, GET /sparql returns the service description, or the query UI (ui.py) to a browser."""

from __future__ import annotations

import time
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, request, url_for

from ecograph import cache, guard, results
from ecograph.errors import QueryError, UsageError
from ecograph.http import ui
from ecograph.http.describe import SD_TYPES, service_description
from ecograph.namespaces import BASE, PREFIXES

blueprint = Blueprint("sparql", __name__)
# GET /sparql with no query: the service description (Turtle first, for curl and harvesters), or the query UI
# when HTML is preferred (browsers send text/html,…,*/*;q=0.8).
UI_TYPES = ["text/html", "application/xhtml+xml"]

LAYERS = {
    "stated": ["stated"],
    "interpreted": ["stated", "interpreted"],
    "inferred": ["stated", "inferred", "ontology"],
    "all": None,  # the union of every graph
}


class NotAcceptable(QueryError):
    status = 406
    hint = "Ask for one of the formats listed in the service description (GET /sparql), or use format=."


class BadMediaType(QueryError):
    status = 400
    hint = "Send the query as ?query= (GET), as a form field (application/x-www-form-urlencoded), or as the body with Content-Type application/sparql-query."


def _engine():
    return current_app.extensions["ecograph"]


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError(f"the {what} is not valid UTF-8 (byte {exc.start})", "Percent-encode the query as UTF-8.") from exc


def _params() -> dict[str, list[str]]:
    """Protocol parameters from the query string and, for form posts, the body; decoded strictly."""
    params = _parse_form(request.query_string, "query string")
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        body = request.get_data(cache=True)
        if not body and not ctype:
            return params
        if ctype == "application/x-www-form-urlencoded":
            for k, v in _parse_form(body, "request body").items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            if "query" in params:
                raise QueryError("a query in both the URL and the body", "Send one query per request.")
            params["query"] = [_decode(body, "request body")]
        elif ctype == "application/sparql-update":
            raise guard.UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
        else:
            raise BadMediaType(f"unsupported Content-Type '{request.content_type or ''}' for a SPARQL query")
    return params


def _parse_form(raw: bytes, what: str) -> dict[str, list[str]]:
    """Form fields, percent-decoded as strict UTF-8 (invalid bytes are a 400, never a 500 or a guess)."""
    text = _decode(raw, what)
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise QueryError(f"the {what} is not valid UTF-8 once percent-decoded (byte {exc.start})",
                         "Percent-encode the query as UTF-8.") from exc


def _one(params: dict, name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise QueryError(f"{len(values)} '{name}' parameters: the protocol allows one", "Send one query per request.")
    return values[0] if values else None


def _dataset(params: dict, served, analysis) -> dict:
    layer = _one(params, "layer") or "all"
    if layer not in LAYERS:
        raise UsageError(f"unknown layer '{layer}'", f"Use one of {', '.join(LAYERS)}.")
    # A dataset given in the protocol replaces the query's FROM / FROM NAMED as a whole (SPARQL 1.1 Protocol 2.1.4).
    if "default-graph-uri" in params or "named-graph-uri" in params:
        default, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    else:
        default, named = analysis.from_graphs, analysis.from_named
    for iri in [*default, *named]:
        if iri not in served.graphs:
            raise guard.Refused(f"<{iri}> is not a graph of this dataset: ecograph never fetches remote graphs",
                                "The graphs are listed in the service description (GET /sparql).")
    job: dict = {}
    if default:
        job["default_graphs"] = default
    elif named:
        job["empty_default_graph"] = True  # named graphs only: the default graph is empty (SPARQL 1.1 Query 13.2)
    elif LAYERS[layer] is not None:
        wanted = [f"{BASE}graph/{name}" for name in LAYERS[layer]]
        job["default_graphs"] = [g for g in wanted if g in served.graphs]
        if not job["default_graphs"]:
            raise UsageError(f"layer '{layer}' is not available in this dataset")
    if default or named:  # a dataset that is given is exactly that: no named graphs unless it names some
        job["named_graphs"] = named
    return job


def _timeout(params: dict) -> float:
    limit = _engine().settings.query_timeout_s
    raw = _one(params, "timeout")
    if raw is None:
        return limit
    try:
        value = float(raw)
    except ValueError as exc:
        raise UsageError(f"timeout must be a number of seconds, not '{raw}'") from exc
    if value != value:  # NaN compares false with everything: it would pass as a limit and break the worker pool
        raise UsageError(f"timeout must be a number of seconds, not '{raw}'")
    if value <= 0:
        raise UsageError("timeout must be more than 0 seconds")
    return min(value, limit)


def execute(text: str, params: dict, accept: str | None, format_param: str | None, substitutions: dict | None = None) -> Response:
    """Guard, run and serialise one query: shared by /sparql and the named-query API. The Server-Timing header
    says where the time went (the round trip to the worker, the engine, serialising, the whole request)."""
    started = time.perf_counter()
    engine = _engine()
    settings = engine.settings
    served = engine.served
    analysis = guard.analyse_once(text, frozenset(served.graphs), frozenset(settings.service_allow.split()))
    form = analysis.form or "SELECT"
    offered = results.offered_for(form)
    if format_param:
        media = results.FORMAT_PARAM.get(format_param.lower())
        if media is None or media not in offered:
            raise NotAcceptable(f"format '{format_param}' is not available for a {form} query")
    else:
        media = results.negotiate(accept, offered)
        if media is None:
            raise NotAcceptable(f"none of the requested types ({accept}) is available for a {form} query")
    # The base IRI of relative IRIs is the endpoint (the protocol lets the service choose it; it "MAY be the service endpoint").
    job = {"query": text, "form": form, "max_rows": settings.max_rows, "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
           "base_iri": url_for("sparql.sparql", _external=True), **_dataset(params, served, analysis)}
    if substitutions:
        job["substitutions"] = substitutions
    timeout = _timeout(params)
    key = cache.key(served.release, job, media)
    hit = engine.cache.get(key)
    timing = []
    if hit is None:
        sent = time.perf_counter()
        answer = engine.pool.run({**job, "media": media}, timeout)  # an embedded worker serialises it; a remote store does not
        timing.append(("worker", (time.perf_counter() - sent) * 1000, "the query's round trip to its worker or store"))
        if answer.engine_ms is not None:
            timing.append(("engine", answer.engine_ms, "evaluating the query and reading its rows"))
        if answer.body is not None:
            body = answer.body
            if answer.render_ms is not None:
                timing.append(("render", answer.render_ms, "serialising the answer (in the worker)"))
        else:
            rendered = time.perf_counter()
            body = results.render(answer, media, settings.max_rows)
            timing.append(("render", (time.perf_counter() - rendered) * 1000, "serialising the answer"))
        hit = cache.Cached(body, f"{media}; charset=utf-8", answer.truncated)
        engine.cache.put(key, hit)
        state = "miss"
    else:
        state = "hit"
    timing.append(("total", (time.perf_counter() - started) * 1000, f"in the server; answer cache {state}"))
    response = Response(hit.body, content_type=hit.content_type)
    response.headers["Server-Timing"] = ", ".join(f'{name};dur={ms:.2f};desc="{desc}"' for name, ms, desc in timing)
    response.headers["Vary"] = "Accept"
    response.headers["X-Ecograph-Truncated"] = f"true; max-rows={settings.max_rows}" if hit.truncated else "false"
    response.headers["X-Ecograph-Cache"] = state
    return response


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql():
    params = _params()
    if _one(params, "update") is not None:
        raise guard.UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
    text = _one(params, "query")
    if text is None:
        if request.method == "GET":
            accept = request.headers.get("Accept")
            if results.negotiate(accept, [*SD_TYPES, *UI_TYPES]) in UI_TYPES:
                return ui.ui_response()
            return service_description(accept)
        raise QueryError("no query: send it as 'query'", BadMediaType.hint)
    if not text.strip():
        raise QueryError("the query is empty")
    return execute(text, params, request.headers.get("Accept"), _one(params, "format"))
