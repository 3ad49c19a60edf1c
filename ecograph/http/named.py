"""Named queries as an API: GET /queries lists them (JSON, or HTML for browsers), GET /queries/openapi.json
describes them as OpenAPI 3.0, and GET /queries/NAME?param=… runs one through the /sparql path (same
guard, workers, limits and result formats): answer(), which needs no Flask (the query lane, lane.py, calls it).

Parameters are typed by the query header and bound by the engine as substitutions (SEP-0007), never pasted
into the query text: a value can only ever be one RDF term, so it cannot change the query."""

from __future__ import annotations

import os
import time

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from markupsafe import escape

from ecograph import __version__
from ecograph.engine import results
from ecograph.engine.job import DEFAULT_LAYER, LAYERS, checked_layer
from ecograph.errors import UsageError
from ecograph.http import pages, sparql, ui
from ecograph.http.error_handlers import quoted
from ecograph.http.language import html_context
from ecograph.queries import NamedQuery, Param, catalogue, code_lists

blueprint = Blueprint("named", __name__)

# protocol parameters, passed to the /sparql path as they are; every other name must be a query parameter
PROTOCOL = ("format", "layer", "timeout")
LISTING_TYPES = ["application/json", "text/html"]


class UnknownQuery(UsageError):
    status = 404
    hint = "GET /queries lists the named queries."


class ListingNotAcceptable(UsageError):
    status = 406
    hint = "Ask for application/json or text/html (or format=json|html)."


_CATALOGUES: dict = {}  # queries folder -> (the files' names, sizes and times, the catalogue read from them, when checked)
CHECK_EVERY_S = 1.0  # how often the query files are looked at again (a change is seen within this time)


def _catalogue(settings=None) -> dict[str, NamedQuery]:
    """The named queries, read again only when a query file changes (reading them all cost ~2 ms a request); the
    folder itself is looked at no more than once a second (a scan of it cost 0.35 ms a request). settings: those
    of the app served (by default the current Flask app's)."""
    settings = settings or current_app.extensions["ecograph"].settings
    folder = settings.queries_dir
    known = _CATALOGUES.get(folder)
    now = time.monotonic()
    if known is not None and now - known[2] < CHECK_EVERY_S:
        return known[1]
    with os.scandir(folder) as entries:  # scandir, not glob: a tenth of the cost
        stamp = tuple(sorted((e.name, st.st_size, st.st_mtime_ns) for e in entries if e.name.endswith(".rq") for st in [e.stat()]))
    if known is None or known[0] != stamp:
        known = (stamp, catalogue(settings), now)
    else:
        known = (stamp, known[1], now)
    _CATALOGUES[folder] = known
    return known[1]


def query_form(query: NamedQuery) -> str:
    return query.form


def formats_for(form: str) -> list[str]:
    """The format= values a query of this form answers to."""
    return results.format_names(form)


def _param_json(p: Param) -> dict:
    out = {"name": p.name, "type": p.type, "default": p.default, "description": p.description, "required": p.default is None}
    if p.choices():
        out["choices"] = p.choices()
    return out


def describe(query: NamedQuery) -> dict:
    """A named query as the listing shows it."""
    form = query_form(query)
    return {"name": query.name, "url": url_for("named.run_query", name=query.name), "title": query.title,
            "description": query.description, "form": form, "parameters": [_param_json(p) for p in query.params],
            "formats": formats_for(form), "text": query.text}


def _listing_type() -> str:
    wanted = request.args.get("format")
    if wanted:
        media = {"json": "application/json", "html": "text/html"}.get(wanted.lower())
        if media is None:
            raise ListingNotAcceptable(f"unknown listing format '{wanted}'")
        return media
    media = results.negotiate(request.headers.get("Accept"), LISTING_TYPES)
    if media is None:
        raise ListingNotAcceptable(f"none of the requested types ({quoted(request.headers.get('Accept'))}) is available for the listing")
    return media


@blueprint.route("/queries")
def listing():
    """Every named query with its titles, descriptions, parameters and link."""
    entries = [describe(q) for q in _catalogue().values()]
    if _listing_type() == "text/html":
        response = Response(listing_html(entries), content_type="text/html; charset=utf-8")
    else:
        response = jsonify({"queries": entries, "openapi": url_for("named.openapi")})
    response.headers["Vary"] = "Accept, Accept-Language"  # the HTML listing is in the browser's language
    return response


def _param_rows(entry: dict, h: pages.Html) -> str:
    """A query's parameters as a table (in a box that scrolls sideways on a phone), or a line saying it has none."""
    if not entry["parameters"]:
        return f'<p>{h.bi("パラメータなし。", "No parameters.")}</p>'
    head = "".join(f'<th scope="col">{h.bi(ja, en)}</th>' for ja, en in (("パラメータ", "parameter"), ("型", "type"),
                                                                         ("既定値", "default"), ("説明", "description")))
    rows = "".join(f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['type'])}</td>"
                   f"<td>{escape(p['default'] or '')}</td><td lang=\"en\">{escape(p['description'])}</td></tr>" for p in entry["parameters"])
    return f'<div class="scroll"><table><tr>{head}</tr>{rows}</table></div>'


def listing_html(entries: list[dict]) -> str:
    """The listing as a page: the site's navigation, the browser's language first (?lang= or Accept-Language), the
    queries grouped as in the query editor's menu; every value is escaped (query headers are files, but still text)."""
    h = html_context()
    groups = [(group, [{**e, "params_html": _param_rows(e, h)} for e in entries if ui.query_group(e["name"]) == group])
              for group in ui.QUERY_GROUPS]
    return pages.queries_page(h, groups, url_for("named.openapi"))


# ------------------------------------------------------------------ OpenAPI

def _codes(engine=None) -> dict:
    """The code lists of the release served (queries.code_lists, asked of the worker pool once per release)."""
    engine = engine or current_app.extensions["ecograph"]
    return code_lists(engine.pool, engine.served.release, engine.settings.query_timeout_s)


def _schema(p: Param, codes: dict | None = None) -> dict:
    if p.scheme and codes and p.scheme in codes:  # a code list: its CURIEs (a full IRI in <…> is accepted too)
        schema = {"type": "string", "enum": [c.curie for c in codes[p.scheme]],
                  "x-labels": {c.curie: {"en": c.en, "ja": c.ja} for c in codes[p.scheme]}}
    elif p.choices():
        schema: dict = {"type": "string", "enum": p.choices()}
    elif p.type == "iri":
        schema = {"type": "string", "format": "iri"}
    elif p.type == "integer":
        schema = {"type": "integer"}
    elif p.type == "boolean":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string", "maxLength": 1000}
    if p.default is not None:
        schema["default"] = {"integer": _int_or_raw, "boolean": lambda v: v == "true"}.get(p.type, str)(p.default)
    return schema


def _int_or_raw(value: str):
    try:
        return int(value)
    except ValueError:
        return value


def _protocol_parameters(form: str) -> list[dict]:
    limit = current_app.extensions["ecograph"].settings.query_timeout_s
    return [
        {"name": "format", "in": "query", "required": False, "description": "Result format; overrides the Accept header.",
         "schema": {"type": "string", "enum": formats_for(form)}},
        {"name": "layer", "in": "query", "required": False,
         "description": "The dataset the query runs over, as on /sparql: stated (what the source text states), interpreted (and the "
                        "interpretations), inferred (the stated facts, their OWL-RL inferences and the ontology) or all (every graph).",
         "schema": {"type": "string", "enum": list(LAYERS), "default": DEFAULT_LAYER}},
        {"name": "timeout", "in": "query", "required": False, "description": f"Time limit in seconds (at most {limit:g}).",
         "schema": {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": limit}},
    ]


def operation(query: NamedQuery, codes: dict | None = None) -> dict:
    """The OpenAPI operation of one named query."""
    form = query_form(query)
    parameters = [{"name": p.name, "in": "query", "required": p.default is None,
                   "description": p.description or f"{p.name} ({p.type})", "schema": _schema(p, codes)} for p in query.params]
    content = {media: {"schema": {"type": "object"} if "json" in media else {"type": "string"}} for media in results.offered_for(form)}
    error = {"$ref": "#/components/responses/Error"}
    return {"get": {
        "operationId": query.name.replace("-", "_"), "summary": query.title.get("en", query.name),
        "description": query.description.get("en", ""), "x-title-ja": query.title.get("ja", ""),
        "x-description-ja": query.description.get("ja", ""), "tags": ["named queries"],
        # the query's own parameters, then the endpoint's format / layer / timeout (a query never declares those)
        "parameters": parameters + _protocol_parameters(form),
        "responses": {"200": {"description": f"The {form} result in the negotiated format.", "content": content},
                      "400": error, "404": error, "406": error, "503": error},
    }}


@blueprint.route("/queries/openapi.json")
def openapi():
    """An OpenAPI 3.0 document with one path per named query, generated from the query headers."""
    codes = _codes()
    paths = {url_for("named.run_query", name=q.name): operation(q, codes) for q in _catalogue().values()}
    error_schema = {"type": "object", "required": ["ok", "status", "error", "hint"],
                    "properties": {"ok": {"type": "boolean"}, "status": {"type": "integer"}, "error": {"type": "string"},
                                   "hint": {"type": "string"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "ecograph named queries", "version": __version__,
                 "description": "Named SPARQL queries over the ecograph knowledge graph. Parameters are bound as RDF terms."},
        "paths": paths,
        "components": {"schemas": {"Error": error_schema},
                       "responses": {"Error": {"description": "An error, in ecograph's one error shape.",
                                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
    }
    if request.script_root:
        document["servers"] = [{"url": request.script_root}]
    return jsonify(document)


# ------------------------------------------------------------------ running

@blueprint.route("/queries/<name>")
def run_query(name: str):
    """Run a named query with its parameters from the query string, in any format /sparql returns, over the layer
    asked for (engine/job.py; ?layer in the query is bound to its name)."""
    engine = current_app.extensions["ecograph"]
    query = named_query(engine, name)  # an unknown name is a 404 before any parameter is looked at
    return answer(engine, request.environ, query, sparql.request_params(), request.headers.get("Accept")).response()


def find(engine, name: str) -> NamedQuery | None:
    """The named query of that name, if there is one."""
    return _catalogue(engine.settings).get(name)


def named_query(engine, name: str) -> NamedQuery:
    """The named query of that name, or UnknownQuery."""
    query = find(engine, name)
    if query is None:
        raise UnknownQuery(f"no named query '{name}'", f"Known queries: {', '.join(_catalogue(engine.settings))}; GET /queries lists them.")
    return query


def answer(engine, environ: dict, query: NamedQuery, params: dict, accept: str | None, started: float | None = None) -> sparql.Reply:
    """The answer to GET /queries/NAME with these protocol parameters (the query's own among them)."""
    protocol = {k: params.pop(k) for k in PROTOCOL if k in params}  # the endpoint's own: format, layer, timeout
    values = {}
    for key, given in params.items():
        if len(given) > 1:
            raise UsageError(f"{len(given)} values for the parameter '{key}': give one")
        values[key] = given[0]
    layer = checked_layer(sparql.one_param(protocol, "layer"))
    return sparql.execute(engine, environ, query.text, protocol, accept, protocol.get("format", []),
                          query.substitutions(values, layer, _codes(engine)), layer, started)
