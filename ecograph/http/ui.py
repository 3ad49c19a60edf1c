"""The query UI: the page at / (and at GET /sparql for a browser), and the static files it loads.

With the vendored YASGUI (`scripts/vendor-ui` puts it in ecograph/http/static/yasgui/, gitignored), the page is
a YASGUI editor and result view whose endpoint is this server's /sparql, with one tab per named query (read
from the catalogue at request time) and the project's prefixes offered by the editor. Everything it loads
comes from this server: the editor's autocompleters that call other hosts (Linked Open Vocabularies for
classes and properties, prefix.cc) are switched off by static/query-ui.js. Without the vendored files the page
is a plain HTML form posting to /sparql. Either way the home page's text and links follow the UI.

Named queries with parameters are shown with their parameters written into the text with their default
values (`write_parameters`): the tab runs as GET /queries/NAME does with no parameters. (The named-query API
binds values as RDF terms and never pastes them into text; the tab's text is the user's to edit anyway.)
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.security import safe_join

from ecograph.engine import guard
from ecograph.engine.job import DEFAULT_LAYER
from ecograph.http import pages
from ecograph.http.data import send_file_cached
from ecograph.http.language import html_context
from ecograph.http.pages import esc
from ecograph.namespaces import PREFIXES
from ecograph.queries import NamedQuery, catalogue

blueprint = Blueprint("ui", __name__)

STATIC = Path(__file__).parent / "static"
YASGUI_JS = "yasgui/yasgui.min.js"
YASGUI_CSS = "yasgui/yasgui.min.css"
UI_JS = "query-ui.js"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", "": "text/plain"}
STATIC_MAX_AGE = 86400  # seconds; every link carries ?v=<content hash>, so a new file is a new URL
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = (("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"), ("tsv", "TSV"), ("ttl", "Turtle"),
           ("nt", "N-Triples"), ("nq", "N-Quads"), ("trig", "TriG"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML"))
INITIAL_QUERY = """SELECT ?number ?name WHERE {
  ?program ecograph:programNumber ?number ; rdfs:label ?name .
  FILTER (LANG(?name) = "en")
}
ORDER BY ?number"""
UI_STYLE = """body{max-width:96em}#yasgui{margin:1em 0 2em}.ui-note{font-size:.9em;color:#555}
form.plain textarea{width:100%;font-family:monospace;font-size:.95em}form.plain p{margin:.4em 0}
.ecograph-error{padding:.2em 1em;max-width:100%;box-sizing:border-box;overflow-wrap:anywhere;line-height:1.45}
.ecograph-error p{margin:.5em 0}.ecograph-error-title{font-weight:bold;color:#a00}
.ecograph-error-message{font-family:monospace;font-size:1.05em;white-space:pre-wrap}
.ecograph-error-raw{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5em 0}"""


# ------------------------------------------------------------------ static files

@lru_cache(maxsize=64)
def _version(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """The URL of a static file, with a content hash so that it can be cached."""
    path = STATIC / name
    stat = path.stat()
    return f"{request.script_root}/static/{name}?v={_version(path, stat.st_mtime_ns, stat.st_size)}"


def has_yasgui() -> bool:
    return (STATIC / YASGUI_JS).is_file() and (STATIC / YASGUI_CSS).is_file() and (STATIC / UI_JS).is_file()


@blueprint.route("/static/<path:name>")
def static(name: str):
    """A file of ecograph/http/static/, with ETag, Last-Modified, 304, gzip and a day's Cache-Control."""
    joined = safe_join(str(STATIC), name)
    if joined is None or not Path(joined).is_file():
        abort(404)
    path = Path(joined)
    response = send_file_cached(path, STATIC_TYPES.get(path.suffix, "application/octet-stream"))
    response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}"
    return response


# ------------------------------------------------------------------ named queries as tabs

def sparql_term(param, raw: str) -> str:
    """A parameter value (already checked by Param.bind) as SPARQL text: a prefixed name when it is one."""
    term = param.bind(raw)
    if term.kind == "uri":
        match = re.fullmatch(r"([A-Za-z][\w-]*):([\w-]+)", raw.strip())
        if match and match.group(1) in PREFIXES and str(PREFIXES[match.group(1)]) + match.group(2) == term.value:
            return raw.strip()
        return f"<{term.value}>"
    quoted = '"' + term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    if term.datatype in (None, XSD + "string"):
        return quoted
    if term.datatype in (XSD + "integer", XSD + "boolean"):
        return term.value
    return f"{quoted}^^<{term.datatype}>"


def write_parameters(text: str, terms: dict[str, str]) -> str:
    """The query text with each parameter variable replaced by its term, as a substitution binds it.

    In the projection of the query's own SELECT the variable becomes (term AS ?v), so that the column stays; a
    subquery's projection drops it (everything inside uses the term, so nothing outside needs it bound, and a
    bound ?v would clash with the outer (term AS ?v)); in GROUP BY it becomes (term). An AS target or a VALUES
    variable is left as it is. Everywhere else the variable becomes the term.
    """
    toks = [t for t in guard.spans(text) if t[0] != "comment"]
    out, last = [], 0
    depth = 0
    projections: list[int] = []     # depths at which a SELECT projection is open
    group_by: int | None = None     # depth of an open GROUP BY clause
    values_at: int | None = None    # depth of a VALUES header not yet closed by its '{'
    for i, (kind, value, start, end) in enumerate(toks):
        upper = value.upper() if kind == "word" else ""
        if kind == "open":
            if value == "{":
                if projections and projections[-1] == depth:
                    projections.pop()
                if values_at == depth:
                    values_at = None
                if group_by is not None and group_by >= depth:
                    group_by = None
            depth += 1
        elif kind == "close":
            depth -= 1
            if value == "}" and group_by is not None and group_by > depth:
                group_by = None
        elif upper == "SELECT":
            projections.append(depth)
        elif upper == "WHERE" and projections and projections[-1] == depth:
            projections.pop()
        elif upper == "GROUP":
            group_by = depth
        elif upper in ("HAVING", "ORDER", "LIMIT", "OFFSET"):
            group_by = None
        elif upper == "VALUES":
            values_at = depth
            group_by = None
        elif (kind == "other" and value in "?$" and i + 1 < len(toks) and toks[i + 1][0] == "word"
              and toks[i + 1][2] == end and toks[i + 1][1] in terms):
            previous = toks[i - 1][1].upper() if i and toks[i - 1][0] == "word" else ""
            if previous == "AS" or values_at is not None:
                continue
            name, term = toks[i + 1][1], terms[toks[i + 1][1]]
            if projections and projections[-1] == depth:
                replacement = f"({term} AS ?{name})" if depth == 0 else ""
            elif group_by == depth:
                replacement = f"({term})"
            else:
                replacement = term
            out.append(text[last:start])
            out.append(replacement)
            last = toks[i + 1][3]
    out.append(text[last:])
    return "".join(out)


def with_prefixes(text: str) -> str:
    """The text with PREFIX lines for the project prefixes it uses and does not declare, after its header comments."""
    declared, used = set(), []
    toks = list(guard.spans(text))
    for i, (kind, value, _, _) in enumerate(toks):
        if kind == "word" and value.upper() == "PREFIX" and i + 1 < len(toks) and toks[i + 1][0] == "pname":
            declared.add(toks[i + 1][1].split(":")[0])
        elif kind == "pname":
            prefix = value.split(":")[0]
            if prefix in PREFIXES and prefix not in used:
                used.append(prefix)
    lines = [f"PREFIX {p}: <{PREFIXES[p]}>" for p in sorted(set(used) - declared)]
    if not lines:
        return text
    header = re.match(r"(?:[ \t]*#[^\n]*\n)*", text).group(0)
    return header + "\n".join(lines) + "\n" + text[len(header):]


def tab_text(query: NamedQuery) -> str:
    """What the tab of a named query holds: its header, PREFIX lines, and its text with parameter defaults written in."""
    terms = {p.name: sparql_term(p, p.default) for p in query.params if p.default is not None}
    if re.search(r"[?$]layer\b", query.text):  # the layer the query shows (engine/job.py), the default one here
        terms["layer"] = f'"{DEFAULT_LAYER}"'
    text = query.text
    if terms:
        note = (f"# In this tab the parameters are written into the text with their defaults "
                f"({', '.join(f'{k} = {v}' for k, v in terms.items())}); GET /queries/{query.name}?… binds other values.\n")
        body = write_parameters(text, terms)
        header = re.match(r"(?:[ \t]*#[^\n]*\n)*", body).group(0)
        text = header + note + body[len(header):]
    return with_prefixes(text)


def tabs(lang: str) -> list[dict]:
    """One tab per named query: name, title in the chosen language, and text."""
    queries = catalogue(current_app.extensions["ecograph"].settings)
    return [{"name": q.name, "title": q.title.get(lang) or q.title.get("en") or q.name, "text": tab_text(q)}
            for q in queries.values()]


# ------------------------------------------------------------------ the page

def _json_for_script(value) -> str:
    """JSON that can sit inside <script> (no '<', '>' or '&' left as such)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def plain_form(h: pages.Html, query: str) -> str:
    options = "".join(f'<option value="{k}">{esc(name)}</option>' for k, name in FORMATS)
    return (f'<form class="plain" method="post" action="{esc(h.root)}/sparql">'
            f'<p><label for="query">{h.bi("クエリ", "Query")}</label></p>'
            f'<textarea id="query" name="query" rows="12" spellcheck="false">{esc(query)}</textarea>'
            f'<p><label for="format">{h.bi("形式", "Format")}</label> <select id="format" name="format">{options}</select> '
            f'<button type="submit">{h.bi("実行", "Run")}</button></p></form>')


def ui_page(h: pages.Html, release: str, has_build: bool, rich: bool | None = None) -> str:
    """The query UI followed by the home page's content; rich=None: YASGUI when it is vendored."""
    rich = has_yasgui() if rich is None else rich
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    known = h.bi("プロジェクトの接頭辞（ecograph:, program:, rdfs: など）は PREFIX 行なしで使えます。",
                 "The project's prefixes (ecograph:, program:, rdfs:, …) work without PREFIX lines.")
    if rich:
        config = {"endpoint": f"{h.root}/sparql", "prefixes": prefixes, "initialQuery": with_prefixes(INITIAL_QUERY),
                  "tabs": tabs(h.order[0]), "newTab": "クエリ" if h.order[0] == "ja" else "Query", "lang": h.order[0]}
        head = (f'<link rel="stylesheet" href="{esc(static_url(YASGUI_CSS))}">'
                f'<script type="application/json" id="ecograph-ui-config">{_json_for_script(config)}</script>'
                f'<script defer src="{esc(static_url(YASGUI_JS))}"></script>'
                f'<script defer src="{esc(static_url(UI_JS))}"></script>')
        ui = (f'<div id="yasgui"></div><noscript>{plain_form(h, INITIAL_QUERY)}</noscript>'
              f'<p class="ui-note">{h.bi("名前付きクエリはそれぞれタブになっています。Ctrl+Enter で実行。", "Each named query is a tab. Ctrl+Enter runs the query.")} {known}</p>')
    else:
        head = ""
        note = h.bi("リッチなクエリ画面（YASGUI）を使うには scripts/vendor-ui を実行してください。",
                    "The rich query UI (YASGUI) needs scripts/vendor-ui to be run.")
        ui = f'{plain_form(h, INITIAL_QUERY)}<p class="ui-note">{note} {known}</p>'
    section = f'<section id="query-ui"><h2>{h.bi("SPARQL クエリ", "SPARQL query")}</h2>{ui}</section>'
    return pages.home_page(h, release, has_build, query_ui=section, head=head + f"<style>{UI_STYLE}</style>")


def ui_response() -> Response:
    """The page for this request (language by ?lang= or Accept-Language), for / and for a browser's GET /sparql."""

    served = current_app.extensions["ecograph"].served
    response = Response(ui_page(html_context(), served.release, served.dist is not None), content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
