"""Linked data: every ecograph IRI dereferences on this server.

The persistent base https://w3id.org/ecograph/ maps onto the server root (`ecograph.namespaces.BASE`), so a
local server resolves its own IRIs:

| IRI | path | answer |
|---|---|---|
| `…/id/<kind>/<key>` (a thing) | `/id/<kind>/<key>` | `303 See Other` to its HTML page or RDF document, by `Accept` |
| (its HTML page) | `/doc/id/<kind>/<key>` | labels, properties, incoming links, graph of each statement, slide |
| (its RDF documents) | `/data/id/<kind>/<key>.{ttl,jsonld,nt,rdf,trig,nq}` | its concise bounded description |
| `…/ontology`, `…/ontology#Term`, `…/ontology/<version>` | `/ontology` | the ontology, HTML or RDF by `Accept` (`Content-Location` names the file; ontology.py) |
| `…/graph/<name>`, `…/shapes` | `/graph/<name>`, `/shapes` | `303` to the graph's dump |
| `…/doc/truncated` | `/doc/truncated` | what a result cut at the row cap means |

**Why 303 for instances, direct negotiation for the ontology.** Instance IRIs name programs, agencies and
amounts, not web pages: a 200 on a slash IRI says the IRI names the document (W3C TAG httpRange-14). `303 See
Other` is the one signal that every linked-data client (rdflib, Jena, LDSpider, `curl -L`, browsers) follows
without reading extra headers, and it gives each description a URL of its own that can be cached, bookmarked
and linked without `Vary`. It costs one round trip, which the w3id redirect already costs anyway. The direct
alternative (200 with `Content-Location` and `Link: rel="describedby"`) needs the same document URLs and relies
on clients reading those headers, so it is not simpler. Ontology terms are hash IRIs: the fragment never reaches
the server, `/ontology` is the document that defines them, and it is negotiated directly ("Cool URIs for the
Semantic Web", §4.1), with `Vary: Accept` and a `Content-Location` naming the dump file that was served.

**What the RDF of a resource holds.** Its concise bounded description: every triple with it as subject, in
every graph, plus the closure over blank nodes (RDF lists) reached from it within the same graph, up to
BLANK_DEPTH hops. TriG and N-Quads keep the graph names; Turtle, N-Triples, JSON-LD and RDF/XML give the union.
A resource that is only ever an object (no subject triples) is described by its incoming triples instead.

**Safety.** Keys are validated before anything else (`[A-Za-z0-9._~:-]` segments joined by `/`, no `.` or `..`
segment, at most MAX_KEY_CHARS): anything else is a 404 with the JSON error shape, and no query runs. Query text
only ever holds the IRI rebuilt from BASE and a validated key (`_iri_ref` checks it again), which cannot close the
`<…>` it sits in; raw request text never enters a query. (A substitution would be as safe, but pyoxigraph 0.5
applies it after planning, which made every page scan the store.) Every query runs in the killable worker pool
with the configured time limit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request

from ecograph.engine import results
from ecograph.engine.job import Job, layer_graphs
from ecograph.errors import UsageError
from ecograph.http import pages, resource_page, ui
from ecograph.http.error_handlers import quoted
from ecograph.http.language import html_context, language
from ecograph.namespaces import BASE, PREFIX_MAP, PREFIXES
from ecograph.rdf.terms import to_ox

blueprint = Blueprint("linked", __name__)

KEY = re.compile(r"[A-Za-z0-9._~:-]+(?:/[A-Za-z0-9._~:-]+)*")
MAX_KEY_CHARS = 256
BLANK_DEPTH = 16       # blank-node hops followed from a resource (an RDF list of n members needs n)
MAX_INCOMING = 1000    # incoming links shown on a page
HTML = "text/html"

# extension -> (media type, pyoxigraph format, name shown on pages)
RDF_DOCS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE, "Turtle"),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, "JSON-LD"),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES, "N-Triples"),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML, "RDF/XML"),
    "trig": ("application/trig", ox.RdfFormat.TRIG, "TriG"),
    "nq": ("application/n-quads", ox.RdfFormat.N_QUADS, "N-Quads"),
}
EXT_OF = {media: ext for ext, (media, _, _) in RDF_DOCS.items()}
# Turtle first: a client that says nothing (or */*) is a harvester or curl; browsers ask for text/html.
OFFERED = ["text/turtle", HTML, "application/ld+json", "application/n-triples", "application/rdf+xml", "application/trig",
           "application/n-quads", "application/xhtml+xml"]


class NotFound(UsageError):
    status = 404
    hint = "Instance IRIs look like https://w3id.org/ecograph/id/program/2; see / for what this server offers."


class NotAcceptable(UsageError):
    status = 406


def _blank_closure(depth: int) -> str:
    """UNION branches following up to `depth` blank nodes from $IRI inside one graph; ?x is the blank subject."""
    branches = []
    for d in range(1, depth + 1):
        hops, prev = [], "$IRI"
        for i in range(1, d + 1):
            hops.append(f"{prev} ?h{i} ?b{i} . FILTER(isBlank(?b{i}))")
            prev = f"?b{i}"
        branches.append(f"{{ GRAPH ?g {{ {' '.join(hops)} {prev} ?p ?o . BIND({prev} AS ?x) }} }}")
    return " UNION ".join(branches)


# Query templates: $IRI becomes <iri>, an IRI built from BASE and a validated key (see _iri_ref). pyoxigraph 0.5
# applies substitutions after planning, so a bound ?s would cost a scan of the store (~100x slower here).
# Run with default_graphs=[]: GRAPH ?g sees every named graph, the plain pattern only the true default graph.
DESCRIPTION_QUERY = "SELECT DISTINCT ?g ?x ?p ?o WHERE { { GRAPH ?g { $IRI ?p ?o } } UNION { $IRI ?p ?o } }"
CLOSURE_QUERY = "SELECT DISTINCT ?g ?x ?p ?o WHERE { " + _blank_closure(BLANK_DEPTH) + " }"  # only when needed
INCOMING_QUERY = ("SELECT DISTINCT ?g ?x ?p WHERE { { GRAPH ?g { ?x ?p $IRI } } UNION { ?x ?p $IRI } } "
                  f"ORDER BY ?p ?x ?g LIMIT {MAX_INCOMING + 1}")
# Run over the union of every graph.
EXISTS_QUERY = "SELECT ?p WHERE { { $IRI ?p ?o } UNION { ?x ?p $IRI } } LIMIT 1"
# The label lookup sits inside each branch: joined after the UNION, the planner scans every label (~50x slower).
LABELS_QUERY = """SELECT DISTINCT ?x ?lp ?l WHERE {
  { $IRI ?x ?o . ?x ?lp ?l } UNION { $IRI ?p ?x . ?x ?lp ?l } UNION { ?x ?p $IRI . ?x ?lp ?l } UNION { ?y ?x $IRI . ?x ?lp ?l }
  UNION { $IRI ?q ?b . FILTER(isBlank(?b)) ?b rdf:rest*/rdf:first ?x . ?x ?lp ?l }
  FILTER(isIRI(?x) && isLiteral(?l) && (?lp = rdfs:label || ?lp = skos:prefLabel)) }"""
REASONS_QUERY = """SELECT DISTINCT ?i ?prop ?reason WHERE {
  ?i ecograph:interpretsResource $IRI ; ecograph:interpretsProperty ?prop . OPTIONAL { ?i ecograph:reason ?reason } }"""


# ------------------------------------------------------------------ helpers

def app_engine():
    return current_app.extensions["ecograph"]


def _valid_key(key: str) -> str:
    """The key of an instance IRI, checked before it is used for anything; NotFound otherwise."""
    if len(key) > MAX_KEY_CHARS or not KEY.fullmatch(key) or any(seg in (".", "..") for seg in key.split("/")):
        raise NotFound("not an ecograph instance IRI: keys are ASCII letters, digits and . _ ~ : - separated by /")
    return key


def _iri_ref(iri: str) -> str:
    """<iri> for query text, only for an instance IRI whose key passed _valid_key (checked again here)."""
    if not iri.startswith(BASE + "id/"):
        raise NotFound(f"not an ecograph instance IRI: <{iri}>")
    return f"<{BASE}id/{_valid_key(iri[len(BASE) + 3:])}>"


def run_query(template: str, iri: str | None = None, union: bool = True, layered: bool = False):
    """Run a query template in the worker pool (never here); union=False: named graphs and the default apart;
    layered: over the layer the request asks for (?layer=, engine/job.py), as /sparql and the named queries do."""
    engine = app_engine()
    job = Job(template if iri is None else template.replace("$IRI", _iri_ref(iri)), engine.settings.max_rows,
              "CONSTRUCT" if template.lstrip().startswith("CONSTRUCT") else "SELECT", PREFIX_MAP,
              default_graphs=None if union else ())
    layer = request.args.get("layer") if layered else None
    if layer is not None:
        graphs = layer_graphs(layer, engine.served.graphs)
        if graphs is not None:  # the layer's graphs are all GRAPH sees; the store's own default graph stays empty
            job = replace(job, named_graphs=graphs) if not union else job.in_layer(graphs)
    return engine.pool.run(job, engine.settings.query_timeout_s)


def rows_of(answer) -> list[dict]:
    return [dict(zip(answer.variables, row)) for row in answer.rows]


def _html_response(body: str) -> Response:
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept-Language"
    return response


def negotiate(offered: list[str]) -> str:
    accept = request.headers.get("Accept")
    media = results.negotiate(accept, offered)
    if media is None:
        raise NotAcceptable(f"none of the requested types ({quoted(accept)}) is available here",
                            f"Ask for one of: {', '.join(offered)}.")
    return HTML if media == "application/xhtml+xml" else media


# ------------------------------------------------------------------ descriptions

def _description(iri: str) -> tuple[list[dict], bool]:
    """The concise bounded description of iri: rows with g (None: default graph), x (None: iri itself), p, o."""
    answer = run_query(DESCRIPTION_QUERY, iri, union=False, layered=True)
    rows, truncated = rows_of(answer), answer.truncated
    if any(row["o"][0] == "bnode" for row in rows):
        closure = run_query(CLOSURE_QUERY, iri, union=False, layered=True)
        rows, truncated = rows + rows_of(closure), truncated or closure.truncated
    return rows, truncated


def _incoming(iri: str) -> tuple[list[dict], bool]:
    answer = run_query(INCOMING_QUERY, iri, union=False, layered=True)
    rows = rows_of(answer)
    return rows[:MAX_INCOMING], len(rows) > MAX_INCOMING or answer.truncated


def _exists(iri: str) -> bool:
    return bool(run_query(EXISTS_QUERY, iri).rows)


def _view(iri: str, key: str) -> resource_page.ResourceView:
    rows, _ = _description(iri)
    incoming, truncated = _incoming(iri)
    if not rows and not incoming:
        raise NotFound(f"no resource <{iri}> in this dataset")
    statements: dict[tuple, resource_page.Statement] = {}
    blank: dict[str, list[tuple]] = {}
    for row in rows:
        if row["x"] is None:
            st = statements.setdefault((row["p"], row["o"]), resource_page.Statement(row["p"], row["o"]))
            st.graphs.append(row["g"][1] if row["g"] else None)
        elif (row["p"], row["o"]) not in blank.setdefault(row["x"][1], []):
            blank[row["x"][1]].append((row["p"], row["o"]))
    linked: dict[tuple, resource_page.Statement] = {}
    for row in incoming:
        st = linked.setdefault((row["p"], row["x"]), resource_page.Statement(row["p"], row["x"]))
        st.graphs.append(row["g"][1] if row["g"] else None)
    labels = _labels(iri)
    for prop in (pages.SKOS_PREFLABEL, pages.RDFS_LABEL):  # its own names: rdfs:label wins over skos:prefLabel
        own = sorted((v[3] or "", v[1]) for p, v in statements if p[1] == prop and v[0] == "literal")
        if own:
            labels[iri] = own
    return resource_page.ResourceView(iri, key, list(statements.values()), blank, list(linked.values()), truncated, labels, _reasons(iri))


def _labels(iri: str) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    rows = sorted(rows_of(run_query(LABELS_QUERY, iri)), key=lambda r: (r["lp"][1] != pages.RDFS_LABEL, r["l"][3] or "", r["l"][1]))
    for row in rows:
        labels = found.setdefault(row["x"][1], [])
        if row["lp"][1] == pages.RDFS_LABEL or not any(lang == (row["l"][3] or "") for lang, _ in labels):
            labels.append((row["l"][3] or "", row["l"][1]))
    return found


def _reasons(iri: str) -> dict[str, list[tuple]]:
    found: dict[str, dict[str, list[tuple]]] = {}
    for row in rows_of(run_query(REASONS_QUERY, iri)):
        texts = found.setdefault(row["prop"][1], {}).setdefault(row["i"][1], [])
        if row["reason"] is not None:
            texts.append((row["reason"][3] or "", row["reason"][1]))
    return {prop: sorted(by_record.items()) for prop, by_record in found.items()}


def _rdf_body(iri: str, ext: str) -> bytes:
    rows, truncated = _description(iri)
    if not rows:  # only ever an object: describe it by what points to it
        rows = [{"g": r["g"], "x": r["x"], "p": r["p"], "o": ("uri", iri, None, None)} for r in _incoming(iri)[0]]
        truncated = False
    if not rows:
        raise NotFound(f"no resource <{iri}> in this dataset")
    root = ("uri", iri, None, None)
    quads = sorted({(r["x"] or root, r["p"], r["o"], r["g"]) for r in rows},
                   key=lambda q: (q[0] != root, *(tuple(part or "" for part in t) if t else ("",) for t in q)))
    _, fmt, _ = RDF_DOCS[ext]
    if ext in ("trig", "nq"):
        data = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g else ox.DefaultGraph()) for s, p, o, g in quads]
    else:
        seen, data = set(), []
        for s, p, o, _ in quads:
            if (s, p, o) not in seen:
                seen.add((s, p, o))
                data.append(ox.Triple(to_ox(s), to_ox(p), to_ox(o)))
    body = ox.serialize(data, format=fmt, prefixes=_used_prefixes(quads) if ext in ("ttl", "trig", "rdf") else None)
    if truncated and ext in ("ttl", "nt", "trig", "nq"):
        body = f"# ecograph: truncated at {app_engine().settings.max_rows} rows; see {results.TRUNCATED_LINK}\n".encode() + body
    return body


def _used_prefixes(quads) -> dict[str, str]:
    """The project prefixes that give some IRI of the output a plain local name (no escaped '/' as in id:a\\/b)."""
    by_length = sorted(((p, str(ns)) for p, ns in PREFIXES.items()), key=lambda pn: -len(pn[1]))
    used = {}
    for iri in {t[1] for q in quads for t in q if t and t[0] == "uri"}:
        prefix, ns = next(((p, ns) for p, ns in by_length if iri.startswith(ns) and len(iri) > len(ns)), (None, ""))
        if prefix and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", iri[len(ns):]) and not iri.endswith("."):
            used[prefix] = ns
    return dict(sorted(used.items()))


# ------------------------------------------------------------------ routes: instances

@blueprint.route("/")
def home():
    """The query UI (ui.py) followed by what this server offers, in the language the request asks for."""
    return ui.ui_response()


@blueprint.route("/id/<path:key>")
def thing(key: str):
    """An instance IRI: 303 See Other to the document that describes it, chosen by Accept."""
    iri = BASE + "id/" + _valid_key(key)
    if not _exists(iri):
        raise NotFound(f"no resource <{iri}> in this dataset")
    media = negotiate(OFFERED)
    root = request.script_root
    if media == HTML:
        order, explicit = language()
        target = f"{root}/doc/id/{key}" + (f"?lang={order[0]}" if explicit else "")
    else:
        target = f"{root}/data/id/{key}.{EXT_OF[media]}"
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/doc/id/<path:key>")
def page(key: str):
    """The HTML page describing an instance."""
    iri = BASE + "id/" + _valid_key(key)
    root = request.script_root
    view = _view(iri, key)
    formats = [(name, media, f"{root}/data/id/{key}.{ext}") for ext, (media, _, name) in RDF_DOCS.items()]
    sparql = f"{root}/sparql?query=" + quote(f"DESCRIBE <{iri}>", safe="")
    response = _html_response(resource_page.resource_page(view, html_context(), formats, sparql))
    response.headers["Link"] = f'<{iri}>; rel="describes"'
    return response


@blueprint.route("/data/id/<path:document>")
def data(document: str):
    """An RDF document describing an instance: /data/id/<key>.<ext>."""
    key, dot, ext = document.rpartition(".")
    if not dot or ext not in RDF_DOCS:
        raise NotFound(f"no document '{document}'", f"Documents end in one of: {', '.join('.' + e for e in RDF_DOCS)}.")
    iri = BASE + "id/" + _valid_key(key)
    media = RDF_DOCS[ext][0]
    response = Response(_rdf_body(iri, ext), content_type=f"{media}; charset=utf-8")
    response.headers["Link"] = f'<{iri}>; rel="describes"'
    return response


@blueprint.route("/doc/truncated")
def truncated():
    return _html_response(pages.truncated_page(html_context()))


# ------------------------------------------------------------------ routes: graphs

@blueprint.route("/graph/<name>")
def graph(name: str):
    """A named graph of the build: 303 to its dump (Turtle or N-Triples by Accept)."""
    served = app_engine().served
    if served.dist is None or BASE + "graph/" + name not in served.graphs:
        raise NotFound(f"no graph <{BASE}graph/{name}> with a dump on this server", "The dumps are listed at /dumps/.")
    stem = "void" if name == "metadata" else name
    files = {m: f"{stem}.{e}" for m, e in (("text/turtle", "ttl"), ("application/n-triples", "nt"))
             if (Path(served.dist) / f"{stem}.{e}").is_file()}
    if not files:
        raise NotFound(f"the graph <{BASE}graph/{name}> has no dump", "The dumps are listed at /dumps/.")
    response = redirect(f"{request.script_root}/dumps/{files[negotiate(list(files))]}", code=303)
    response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/shapes")
def shapes():
    """The SHACL shapes (and every shapes#Shape): 303 to the shapes dump."""
    return graph("shapes")
