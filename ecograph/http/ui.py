"""The query UI: the page at / (and at GET /sparql for a browser), the static files it loads, the favicon, and the
ontology's terms for the editor's autocompletion (GET /ontology/terms.json).

With the vendored YASGUI (`scripts/vendor-ui` puts it in ecograph/http/static/yasgui/, gitignored), the page is
a YASGUI editor and result view whose endpoint is this server's /sparql. Above it, a menu of the named queries
(read from the catalogue at request time), grouped by kind (QUERY_GROUPS: coverage, gaps, money, support finders,
programs and calls, data quality and other), loads one into the editor; its description is folded below the menu.
Everything the page loads comes from this server: static/query-ui.js switches off the autocompleters that call
other hosts (Linked Open Vocabularies, prefix.cc) and completes the ontology's classes and properties and the
project's prefixes from /ontology/terms.json instead. Without the vendored files the page is a plain HTML form
posting to /sparql, and the menu a form that opens a named query in it. Either way the home page's text and
links follow the UI.

`/?query=TEXT` opens the editor with that text (the resource pages' "Open in SPARQL" link), `/?named=NAME` with
a named query. Named queries with parameters are shown with their parameters written into the text with their
default values (`write_parameters`): the editor runs them as GET /queries/NAME does with no parameters. (The
named-query API binds values as RDF terms and never pastes them into text; the editor's text is the user's to
edit anyway.)

Accessibility (issue 16): focus does not start in the editor, Tab leaves it (WCAG 2.1.2; Ctrl+] and Ctrl+[
indent, as the hint under the menu says), and query-ui.js mends YASGUI's markup after it starts (labels, roles,
contrast); tests/http/test_accessibility.py runs axe-core on the page.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, request
from werkzeug.security import safe_join

from ecograph.engine import guard
from ecograph.engine.job import DEFAULT_LAYER, Job
from ecograph.errors import UsageError
from ecograph.http import pages, ui_texts
from ecograph.http.data import send_file_cached
from ecograph.http.language import html_context
from ecograph.http.pages import esc
from ecograph.namespaces import BASE, PREFIX_MAP, PREFIXES
from ecograph.queries import NamedQuery, catalogue

blueprint = Blueprint("ui", __name__)

STATIC = Path(__file__).parent / "static"
YASGUI_JS = "yasgui/yasgui.min.js"
YASGUI_CSS = "yasgui/yasgui.min.css"
UI_JS = "query-ui.js"
UI_CSS = "query-ui.css"
FAVICON = "favicon.svg"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml",
                "": "text/plain"}
STATIC_MAX_AGE = 86400  # seconds; every link carries ?v=<content hash>, so a new file is a new URL
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = (("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"), ("tsv", "TSV"), ("ttl", "Turtle"),
           ("nt", "N-Triples"), ("nq", "N-Quads"), ("trig", "TriG"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML"))
INITIAL_QUERY = """SELECT ?number ?name WHERE {
  ?program ecograph:programNumber ?number ; rdfs:label ?name .
  FILTER (LANG(?name) = "en")
}
ORDER BY ?number"""
MAX_QUERY_CHARS = 100_000  # a longer ?query= is not put in the page (the endpoint still takes it by POST)


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


@blueprint.route("/favicon.ico")
def favicon():
    """The site's icon (an SVG: browsers read it by its media type, whatever the name), asked for by every page."""
    response = send_file_cached(STATIC / FAVICON, STATIC_TYPES[".svg"])
    response.headers["Cache-Control"] = f"public, max-age={STATIC_MAX_AGE}"
    return response


# ------------------------------------------------------------------ named queries in the editor

def sparql_term(param, raw: str) -> str:
    """A parameter value (already checked by Param.bind) as SPARQL text: a prefixed name when it is one."""
    term = param.bind(raw)
    match = re.fullmatch(r"([A-Za-z][\w-]*):([\w-]+)", raw.strip())
    if term.kind == "uri" and match and match.group(1) in PREFIXES and str(PREFIXES[match.group(1)]) + match.group(2) == term.value:
        return raw.strip()
    return term_text(term)


def term_text(term) -> str:
    """An RDF term (rdf/terms.py Term) as SPARQL text."""
    if term.kind == "uri":
        return f"<{term.value}>"
    quoted = '"' + term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    if term.language:
        return f"{quoted}@{term.language}"
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


@dataclass(frozen=True)
class QueryGroup:
    """A kind of named query in the editor's menu and on /queries: the names it holds (by prefix), and the prefixes
    of their titles that the group's own label makes redundant in the menu."""

    key: str
    ja: str
    en: str
    names: tuple[str, ...]
    titles: tuple[str, ...] = ()


# In menu order; a query whose name matches no group's prefixes goes to the last group.
QUERY_GROUPS = (
    QueryGroup("coverage", "カバレッジ", "Coverage", ("coverage-",), ("Coverage:", "カバレッジ：")),
    QueryGroup("gaps", "空白", "Gaps", ("gaps-",), ("Gaps:", "空白：")),
    QueryGroup("money", "金額", "Money", ("money-",)),
    QueryGroup("support", "支援の検索", "Support finders", ("support-finder", "stakeholder-programs"),
               ("Support finder:", "支援の検索：")),
    QueryGroup("programs", "事業と公募", "Programs and calls", ("programs", "cicle-", "aimgain-", "plan-")),
    QueryGroup("quality", "データ品質・その他", "Data quality and other", (), ("Data quality:", "データ品質：")),
)


def query_group(name: str) -> QueryGroup:
    """The group of a named query, by the prefix of its name."""
    return next((g for g in QUERY_GROUPS if g.names and name.startswith(g.names)), QUERY_GROUPS[-1])


def menu_title(title: str, group: QueryGroup) -> str:
    """A query's title without the prefix its group's label already says ("Coverage: program × phase" → "program × phase")."""
    for prefix in group.titles:
        if title.startswith(prefix) and title[len(prefix):].strip():
            return title[len(prefix):].strip()
    return title


def _without_header(text: str) -> str:
    """The query text without its header comments (title, description, param: the menu shows them)."""
    return text[len(re.match(r"(?:[ \t]*#[^\n]*\n|[ \t]*\n)*", text).group(0)):]


def written_terms(query: NamedQuery) -> dict[str, str]:
    """What a run of the named query with no parameters binds, as SPARQL text to write into the editor's text: each
    parameter with a default (a CURIE stays a CURIE), and ?layer, the default layer's name (NamedQuery.substitutions)."""
    terms = {p.name: sparql_term(p, p.default) for p in query.params if p.default is not None}
    try:
        bound = query.substitutions({p.name: p.default for p in query.params if p.default is not None}, DEFAULT_LAYER)
    except UsageError:  # a parameter with no default stays a variable, to be given a value by the user
        return terms
    return {**{name: term_text(term) for name, term in bound.items()}, **terms}


def editor_text(query: NamedQuery) -> str:
    """What the editor holds for a named query: PREFIX lines and its text, defaults written in, no header comments."""
    terms = written_terms(query)
    text = _without_header(query.text)
    return with_prefixes(write_parameters(text, terms) if terms else text)


def parameter_note(query: NamedQuery, lang: str) -> str:
    """What the editor's text holds in place of the query's parameters, or "" when nothing is written in."""
    terms = [f"{name} = {text}" for name, text in written_terms(query).items()]
    if not terms:
        return ""
    if lang == "ja":
        return f"既定値をクエリに書き込んであります（{', '.join(terms)}）。他の値は GET /queries/{query.name}?… で指定できます。"
    return f"The defaults are written into the text ({', '.join(terms)}); GET /queries/{query.name}?… binds other values."


def menu(lang: str) -> list[dict]:
    """The named queries in menu order (by group, then as the catalogue lists them), in the chosen language."""
    queries = catalogue(current_app.extensions["ecograph"].settings)
    entries = []
    for q in queries.values():
        group = query_group(q.name)
        title = q.title.get(lang) or q.title.get("en") or q.name
        entries.append({"name": q.name, "group": group.key, "title": title, "label": menu_title(title, group),
                        "description": q.description.get(lang) or q.description.get("en") or "",
                        "note": parameter_note(q, lang), "text": editor_text(q), "url": f"{request.script_root}/queries/{q.name}"})
    rank = {g.key: i for i, g in enumerate(QUERY_GROUPS)}
    return sorted(entries, key=lambda e: rank[e["group"]])


# ------------------------------------------------------------------ the ontology's terms, for autocompletion

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TERM_KINDS = {OWL + "Class": "class", RDFS + "Class": "class", OWL + "ObjectProperty": "object-property",
              OWL + "DatatypeProperty": "datatype-property", OWL + "AnnotationProperty": "annotation-property",
              "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": "property"}
TERMS_QUERY = (f"SELECT ?term ?type ?label WHERE {{ GRAPH <{BASE}graph/ontology> {{ "
               f"VALUES ?type {{ {' '.join(f'<{t}>' for t in TERM_KINDS)} }} ?term a ?type . FILTER (isIRI(?term)) "
               "OPTIONAL { ?term rdfs:label ?label } } }")
TERMS_MAX_AGE = 3600  # seconds: the terms change with a release
_TERMS: dict[str, dict] = {}
_TERMS_LOCK = threading.Lock()


def ontology_terms() -> dict:
    """The ontology's classes and properties (CURIE, IRI, kind, labels) and the project's prefixes, per release.

    Read from the served store's ontology graph through the query workers (a server of data files without that
    graph has prefixes only). Classes come before properties; within a kind, by CURIE.
    """
    engine = current_app.extensions["ecograph"]
    release = engine.served.release
    if release in _TERMS:
        return _TERMS[release]
    answer = engine.pool.run(Job(TERMS_QUERY, engine.settings.max_rows, "SELECT", PREFIX_MAP), engine.settings.query_timeout_s)
    found: dict[str, dict] = {}
    for row in answer.records():
        iri, kind = row["term"].value, TERM_KINDS[row["type"].value]
        entry = found.setdefault(iri, {"curie": pages.curie(iri), "iri": iri, "kind": kind, "label": {}})
        if kind == "class" or entry["kind"] == "property":  # owl:Class before rdfs:Class; the OWL kind of a property
            entry["kind"] = kind
        label = row.get("label")
        if label is not None and label.language in ("ja", "en"):
            entry["label"][label.language] = label.value
    terms = sorted(found.values(), key=lambda t: (t["kind"] != "class", t["curie"]))
    prefixes = [{"prefix": p, "iri": ns} for p, ns in PREFIX_MAP.items()]
    with _TERMS_LOCK:
        return _TERMS.setdefault(release, {"release": release, "prefixes": prefixes, "terms": terms})


@blueprint.route("/ontology/terms.json")
def terms():
    """The ontology's classes and properties and the project's prefixes as JSON, for the editor's autocompletion
    (the editor asks this server, never Linked Open Vocabularies or prefix.cc)."""
    response = jsonify(ontology_terms())
    response.headers["Cache-Control"] = f"public, max-age={TERMS_MAX_AGE}"
    return response


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


def query_menu(h: pages.Html, entries: list[dict], selected: str) -> str:
    """The menu of named queries (a form that opens one: `/?named=NAME`; query-ui.js loads it without a round trip)
    and, folded, what the selected one does."""
    lang = h.order[0]
    own = "（自分のクエリ）" if lang == "ja" else "(your own query)"
    groups = []
    for group in QUERY_GROUPS:
        options = "".join(f'<option value="{esc(e["name"])}"{" selected" if e["name"] == selected else ""}>{esc(e["label"])}</option>'
                          for e in entries if e["group"] == group.key)
        if options:
            groups.append(f'<optgroup label="{esc(group.ja if lang == "ja" else group.en)}">{options}</optgroup>')
    chosen = next((e for e in entries if e["name"] == selected), None)
    about = (f'<details id="named-about"{"" if chosen else " hidden"}><summary>{h.bi("このクエリについて", "About this query")}</summary>'
             f'<p class="about-title" lang="{lang}">{esc(chosen["title"] if chosen else "")}</p>'
             f'<p class="about-description" lang="{lang}">{esc(chosen["description"] if chosen else "")}</p>'
             f'<p class="about-note" lang="{lang}">{esc(chosen["note"] if chosen else "")}</p>'
             f'<p><a class="about-link" href="{esc(chosen["url"] if chosen else "")}">{h.bi("API として実行（GET /queries/…）", "Run as the API (GET /queries/…)")}</a> · '
             f'<a class="about-listing" href="{esc(h.root)}/queries#{esc(selected)}">{h.bi("名前付きクエリの一覧", "Named queries listing")}</a></p></details>')
    return (f'<form class="query-menu" method="get" action="{esc(h.root)}/">'
            + (f'<input type="hidden" name="lang" value="{lang}">' if h.explicit else "")
            + f'<label for="named-query">{h.bi("名前付きクエリ", "Named query")}</label> '
            f'<select id="named-query" name="named"><option value="">{own}</option>{"".join(groups)}</select> '
            f'<button type="submit" class="menu-open">{h.bi("開く", "Open")}</button>{about}</form>')


def editor_state(entries: list[dict]) -> tuple[str, str]:
    """(selected named query, editor text) for this request: ?query= first, then ?named=, else the first query."""
    text = request.args.get("query")
    if text is not None and text.strip() and len(text) <= MAX_QUERY_CHARS:
        return "", text
    named = request.args.get("named", "")
    chosen = next((e for e in entries if e["name"] == named), None)
    return (named, chosen["text"]) if chosen else ("", with_prefixes(INITIAL_QUERY))


def ui_page(h: pages.Html, release: str, has_build: bool, rich: bool | None = None) -> str:
    """The query UI followed by the home page's content; rich=None: YASGUI when it is vendored."""
    rich = has_yasgui() if rich is None else rich
    entries = menu(h.order[0])
    selected, text = editor_state(entries)
    keys = h.bi("Ctrl+Enter で実行。Tab キーでエディタから次の項目へ移ります（字下げは Ctrl+] と Ctrl+[）。"
                "Ctrl+Space でクラス・プロパティ・接頭辞の候補。プロジェクトの接頭辞（ecograph:, program: など）は PREFIX 行なしで使えます。",
                "Ctrl+Enter runs the query. Tab moves on out of the editor (indent with Ctrl+] and Ctrl+[). "
                "Ctrl+Space suggests classes, properties and prefixes. The project's prefixes (ecograph:, program:, …) work without PREFIX lines.")
    head = f'<link rel="stylesheet" href="{esc(static_url(UI_CSS))}">'
    if rich:
        prefixes = {p: str(ns) for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1])))}  # longest first
        config = {"endpoint": f"{h.root}/sparql", "terms": f"{h.root}/ontology/terms.json?v={release}", "prefixes": prefixes,
                  "initialQuery": text, "named": selected, "queries": entries, "lang": h.order[0], "labels": ui_texts.labels(h.order[0])}
        head = (f'<link rel="stylesheet" href="{esc(static_url(YASGUI_CSS))}">{head}'
                f'<script type="application/json" id="ecograph-ui-config">{_json_for_script(config)}</script>'
                f'<script defer src="{esc(static_url(YASGUI_JS))}"></script>'
                f'<script defer src="{esc(static_url(UI_JS))}"></script>')
        ui = (f'<p class="ui-note" id="editor-keys">{keys}</p>'
              f'<div id="yasgui"></div><noscript>{plain_form(h, text)}</noscript>')
    else:
        note = h.bi("リッチなクエリ画面（YASGUI）を使うには scripts/vendor-ui を実行してください。",
                    "The rich query UI (YASGUI) needs scripts/vendor-ui to be run.")
        ui = f'{plain_form(h, text)}<p class="ui-note">{note}</p>'
    section = (f'<section id="query-ui" aria-labelledby="query-ui-title"><h2 id="query-ui-title">{h.bi("SPARQL クエリ", "SPARQL query")}</h2>'
               f"{query_menu(h, entries, selected)}{ui}</section>")
    return pages.home_page(h, release, has_build, query_ui=section, head=head)


def ui_response() -> Response:
    """The page for this request (language by ?lang= or Accept-Language), for / and for a browser's GET /sparql."""

    served = current_app.extensions["ecograph"].served
    response = Response(ui_page(html_context(), served.release, served.dist is not None), content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
