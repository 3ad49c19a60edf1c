"""The SPARQL 1.1 Protocol endpoint at /sparql: GET, POST form-encoded and POST application/sparql-query;
default-graph-uri / named-graph-uri; every result format by content negotiation or `format=` (or `output=` /
`results=`, as SPARQLWrapper sends them); read-only.
With no query, GET /sparql returns the service description, or the query UI (ui.py) to a browser.

A query is answered by execute(), which needs no Flask: the query lane (lane.py) calls it for GET and POST, in
front of Flask; the Flask view below answers the rest (no query, HEAD) and the errors the lane hands on."""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, request
from werkzeug.wsgi import get_current_url

from ecograph.engine import cache, guard, results
from ecograph.engine.job import DEFAULT_LAYER, Job, checked_layer, layer_graphs
from ecograph.engine.serving import DEFAULT_GRAPH_IRI
from ecograph.errors import QueryError, UsageError
from ecograph.http import ui
from ecograph.http.error_handlers import quoted
from ecograph.http.service import SD_TYPES, service_description
from ecograph.namespaces import PREFIX_MAP

blueprint = Blueprint("sparql", __name__)
# GET /sparql with no query: the service description (Turtle first, for curl and harvesters), or the query UI
# when HTML is preferred (browsers send text/html,…,*/*;q=0.8).
UI_TYPES = ["text/html", "application/xhtml+xml"]
# The format parameter under its three names: SPARQLWrapper sends all three (Virtuoso reads format, Joseki output).
FORMAT_PARAMETERS = ("format", "output", "results")



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


def protocol_params(method: str, query_string: bytes, content_type: str | None, body: bytes) -> dict[str, list[str]]:
    """Protocol parameters from the query string and, for form posts, the body; decoded strictly."""
    params = _parse_form(query_string, "query string")
    if method == "POST":
        ctype = (content_type or "").split(";", 1)[0].strip().lower()
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
            raise BadMediaType(f"unsupported Content-Type '{content_type or ''}' for a SPARQL query")
    return params


def request_params() -> dict[str, list[str]]:
    """protocol_params of Flask's request."""
    body = request.get_data(cache=True) if request.method == "POST" else b""
    return protocol_params(request.method, request.query_string, request.content_type, body)


def _parse_form(raw: bytes, what: str) -> dict[str, list[str]]:
    """Form fields, percent-decoded as strict UTF-8 (invalid bytes are a 400, never a 500 or a guess)."""
    text = _decode(raw, what)
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise QueryError(f"the {what} is not valid UTF-8 once percent-decoded (byte {exc.start})",
                         "Percent-encode the query as UTF-8.") from exc


def one_param(params: dict, name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise QueryError(f"{len(values)} '{name}' parameters: the protocol allows one", "Send one query per request.")
    return values[0] if values else None


def _dataset(params: dict, served, analysis, default_graph: str = "union", layer: str | None = None) -> dict:
    """The job's dataset: the protocol's default-graph-uri / named-graph-uri, else the query's FROM / FROM NAMED,
    else the layer asked for (engine/job.py: its graphs are the default graph and all GRAPH sees), else the default
    graph the default_graph setting names (the union of every graph, or the store's own default graph). Relative
    protocol IRIs are resolved as the query's (see guard.py)."""
    if layer is not None:
        checked_layer(layer)
    # A dataset given in the protocol replaces the query's FROM / FROM NAMED as a whole (SPARQL 1.1 Protocol 2.1.4).
    if "default-graph-uri" in params or "named-graph-uri" in params:
        default = [_graph_iri(iri, analysis.base) for iri in params.get("default-graph-uri", [])]
        named = [_graph_iri(iri, analysis.base) for iri in params.get("named-graph-uri", [])]
    else:
        default, named = analysis.from_graphs, analysis.from_named
    for iri in [*default, *named]:
        if iri not in served.graphs and iri != DEFAULT_GRAPH_IRI:
            raise guard.Refused(f"<{iri}> is not a graph of this dataset: ecograph never fetches remote graphs",
                                f"The graphs are listed in the service description (GET /sparql); <{DEFAULT_GRAPH_IRI}> names the store's own default graph.")
    if DEFAULT_GRAPH_IRI in named:
        raise guard.Refused(f"<{DEFAULT_GRAPH_IRI}> names the store's default graph, which cannot be a named graph",
                            "Name it in FROM or default-graph-uri.")
    if default or named:  # a dataset that is given is exactly that: no named graphs unless it names some
        if default:
            return {"default_graphs": tuple(default), "named_graphs": tuple(named)}
        return {"empty_default_graph": True, "named_graphs": tuple(named)}  # named graphs only (SPARQL 1.1 Query 13.2)
    if layer is None and default_graph == "default":
        return {"default_graphs": ()}  # the store's own default graph (the default_graph setting)
    graphs = layer_graphs(layer or DEFAULT_LAYER, served.graphs)
    return {} if graphs is None else {"default_graphs": graphs, "named_graphs": graphs}


def _graph_iri(iri: str, base: str | None) -> str:
    resolved = guard.resolve_iri(iri, base)
    if resolved is None:
        raise guard.Refused(f"<{iri}> is a relative IRI and there is no base to resolve it against", "Send the graph's absolute IRI.")
    return resolved


def _timeout(params: dict, limit: float) -> float:
    raw = one_param(params, "timeout")
    if raw is None:
        return limit
    try:
        value = float(raw)
    except ValueError as exc:
        raise UsageError(f"timeout must be a number of seconds, not '{raw}'") from exc
    if math.isnan(value):  # NaN compares false with everything: it would pass as a limit and break the worker pool
        raise UsageError(f"timeout must be a number of seconds, not '{raw}'")
    if value <= 0:
        raise UsageError("timeout must be more than 0 seconds")
    return min(value, limit)


def _media(formats: list[str], form: str, accept: str | None) -> str:
    """The media type of the answer: format= (or output= / results=, which SPARQLWrapper sends beside it, its
    values repeated as short name and media type: they must agree), else the Accept header."""
    offered = results.offered_for(form)
    named: dict[str, str] = {}  # media type (or the unknown value itself) -> the first value naming it
    for value in formats:
        if value.strip():  # SPARQLWrapper adds an empty value when its Accept header is */*
            named.setdefault(results.format_media(value, form) or value.strip().lower(), value)
    if len(named) > 1:
        first, second = list(named.values())[:2]
        raise QueryError(f"two different formats asked for: '{first}' and '{second}'",
                         "Name one format (format=, output= and results= are the same parameter), or none and use the Accept header.")
    if not named:
        media = results.negotiate(accept, offered)
        if media is None:
            raise NotAcceptable(f"none of the requested types ({quoted(accept)}) is available for a {form} query")
        return media
    media, value = next(iter(named.items()))
    if media in offered:
        return media
    if results.format_media(value, form) is not None and accept:
        # A format of the other kind (CSV for a CONSTRUCT, Turtle for a SELECT): the Accept header decides, as
        # SPARQLWrapper expects of an endpoint (it sends */* with such a format). With no Accept header, a 406.
        negotiated = results.negotiate(accept, offered)
        if negotiated is not None:
            return negotiated
    raise NotAcceptable(f"format '{value}' is not available for a {form} query",
                        f"For a {form} query use one of: {', '.join(results.format_names(form))}; or the Accept header.")


@dataclass(frozen=True)
class Reply:
    """A query's answer as HTTP: its body and headers (the status is 200)."""

    body: bytes
    headers: list[tuple[str, str]]

    def response(self) -> Response:
        return Response(self.body, headers=self.headers)


def execute(engine, environ: dict, text: str, params: dict, accept: str | None, formats: list[str],
            substitutions: dict | None = None, layer: str | None = None, started: float | None = None) -> Reply:
    """Guard, run and serialise one query of the request whose WSGI environ is given: shared by /sparql and the
    named-query API, with or without Flask (lane.py). The Server-Timing header says where the time went (the round
    trip to the worker, the engine, serialising, the whole request since `started`)."""
    started = time.perf_counter() if started is None else started
    settings = engine.settings
    served = engine.served
    # The base IRI of relative IRIs is the endpoint (the protocol lets the service choose it; it "MAY be the service
    # endpoint"); the guard resolves the query's IRIs against it as the engine does.
    base_iri = endpoint_iri(environ)
    analysis = guard.analyse_once(text, *_guarded(tuple(served.graphs), settings.service_allow), base_iri)
    form = analysis.form or "SELECT"
    media = _media(formats, form, accept)
    job = Job(text, settings.max_rows, form, PREFIX_MAP, base_iri, substitutions=substitutions or None, media=media,
              **_dataset(params, served, analysis, settings.default_graph, one_param(params, "layer") if layer is None else layer))
    timeout = _timeout(params, settings.query_timeout_s)
    key = engine.cache.key(served.release, job)
    hit = engine.cache.get(key)
    timing = []
    if hit is None:
        sent = time.perf_counter()
        answer = engine.pool.run(job, timeout)  # an embedded worker serialises it; a remote store does not
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
    return Reply(hit.body, [
        ("Content-Type", hit.content_type),
        ("Content-Length", str(len(hit.body))),
        ("Server-Timing", ", ".join(f'{name};dur={ms:.2f};desc="{desc}"' for name, ms, desc in timing)),
        ("Vary", "Accept"),
        ("X-Ecograph-Truncated", f"true; max-rows={settings.max_rows}" if hit.truncated else "false"),
        ("X-Ecograph-Cache", state)])


@functools.lru_cache(maxsize=8)
def _guarded(graphs: tuple[str, ...], service_allow: str) -> tuple[frozenset, frozenset]:
    """The guard's dataset graphs and allowed SERVICE endpoints, made once per served dataset and setting."""
    return frozenset([*graphs, DEFAULT_GRAPH_IRI]), frozenset(service_allow.split())


def endpoint_iri(environ: dict) -> str:
    """This endpoint's URL (as url_for("sparql.sparql", _external=True)): the base IRI of a query's relative IRIs.
    It depends on the scheme, the Host header (or the server's name and port) and the script root only."""
    return _endpoint(environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"), environ.get("SERVER_NAME"),
                     environ.get("SERVER_PORT"), environ.get("SCRIPT_NAME"))


@functools.lru_cache(maxsize=256)  # remembered per host (werkzeug's url_root costs 0.06 ms); any Host header may come
def _endpoint(scheme, host, server_name, server_port, script_name) -> str:
    environ = {"wsgi.url_scheme": scheme, "SERVER_NAME": server_name, "SERVER_PORT": server_port, "SCRIPT_NAME": script_name or ""}
    if host is not None:
        environ["HTTP_HOST"] = host
    return get_current_url(environ, root_only=True) + "sparql"  # request.url_root, made from exactly those parts


def wants_query(params: dict) -> bool:
    """Whether a request to /sparql asks a query (else: an update, refused, or no query: the service description)."""
    return "query" in params and "update" not in params


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql():
    params = request_params()
    if one_param(params, "update") is not None:
        raise guard.UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
    text = one_param(params, "query")
    if text is None:
        if request.method == "GET":
            accept = request.headers.get("Accept")
            if results.negotiate(accept, [*SD_TYPES, *UI_TYPES]) in UI_TYPES:
                return ui.ui_response()
            return service_description(accept)
        raise QueryError("no query: send it as 'query'", BadMediaType.hint)
    return answer(_engine(), request.environ, params, request.headers.get("Accept")).response()


def answer(engine, environ: dict, params: dict, accept: str | None, started: float | None = None) -> Reply:
    """The answer to the query of a /sparql request (its protocol parameters hold one)."""
    text = one_param(params, "query")
    if not text.strip():
        raise QueryError("the query is empty")
    formats = [value for name in FORMAT_PARAMETERS for value in params.get(name, [])]
    return execute(engine, environ, text, params, accept, formats, started=started)
