"""HTML documentation generated from the ontology graph itself: one self-contained page (no external CSS,
scripts or fonts; one small inline script filters the term list), every text escaped, the same graph and the
same examples always giving the same bytes.

Each term shows its labels, local name, CURIE, definition, hierarchy, for a property what it connects
(schema:domainIncludes / schema:rangeIncludes, and rdfs:domain / rdfs:range where the ontology states them), and
one example triple of the data (`examples`: the first in sorted order, see pick_examples)."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN, XSD

from ecograph.namespaces import INTERPRETED, PREFIXES, SCHEMA, STATED
from ecograph.rdf.terms import from_ox, from_rdflib

KINDS = (
    (OWL.Class, "classes", "クラス", "Classes"),
    (OWL.ObjectProperty, "object-properties", "オブジェクトプロパティ", "Object properties"),
    (OWL.DatatypeProperty, "datatype-properties", "データプロパティ", "Datatype properties"),
    (OWL.AnnotationProperty, "annotation-properties", "注釈プロパティ", "Annotation properties"),
)
HEADER = (
    (OWL.versionIRI, "版の IRI", "Version IRI"),
    (OWL.versionInfo, "版", "Version"),
    (DCTERMS.license, "ライセンス", "Licence"),
    (DCTERMS.rights, "権利", "Rights"),
    (DCTERMS.creator, "作成者", "Creator"),
    (DCTERMS.publisher, "公開者", "Publisher"),
    (DCTERMS.created, "作成日", "Created"),
    (DCTERMS.issued, "公開日", "Issued"),
    (DCTERMS.modified, "更新日", "Modified"),
    (VANN.preferredNamespacePrefix, "推奨接頭辞", "Preferred prefix"),
    (VANN.preferredNamespaceUri, "名前空間", "Namespace"),
    (DCTERMS.bibliographicCitation, "引用", "Citation"),
    (DCTERMS.source, "出典", "Source"),
    (OWL.priorVersion, "前の版", "Prior version"),
)
# What a property connects: (property, ja, en). schema:*Includes are the ontology's own statements (no OWL
# consequences); rdfs:domain / rdfs:range are shown apart, as a reasoner acts on them.
CONNECTS = (
    (SCHEMA.domainIncludes, "定義域", "Domain includes"),
    (SCHEMA.rangeIncludes, "値域", "Range includes"),
    (RDFS.domain, "定義域（rdfs:domain）", "Domain (rdfs:domain)"),
    (RDFS.range, "値域（rdfs:range）", "Range (rdfs:range)"),
)
# For a class: the properties whose domain (or range) names it.
CONNECTED_BY = (
    ((SCHEMA.domainIncludes, RDFS.domain), "このクラスを定義域とする性質", "Properties with this domain"),
    ((SCHEMA.rangeIncludes, RDFS.range), "このクラスを値域とする性質", "Properties with this range"),
)
# The graphs examples come from, the most wanted first, with their names on the page.
EXAMPLE_GRAPHS = (str(STATED), str(INTERPRETED))
GRAPH_NAMES = {str(STATED): ("述べられた事実のグラフ", "stated graph"), str(INTERPRETED): ("解釈のグラフ", "interpreted graph")}
MAX_LITERAL = 160  # characters of an example's literal shown; the rest is cut with …
STYLE = """body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;line-height:1.55;color:#222}
a{color:#0645ad}code{background:#f4f4f4;padding:0 .2em;overflow-wrap:anywhere}h1{line-height:1.25}
[hidden]{display:none!important}.alt{color:#555}.alt code{color:#222}header>p[lang]{margin:.4em 0}
details.about{margin:1em 0}details.about summary{cursor:pointer;color:#0645ad}
header dl,section.term dl{display:grid;grid-template-columns:minmax(8em,15em) 1fr;gap:.15em 1em}
dt{font-weight:bold}dd{margin:0;min-width:0}ul.values{list-style:none;margin:0;padding:0}ul.values li+li{margin-top:.2em}dd small{color:#555}.example{overflow-wrap:anywhere}
section.term{border-top:1px solid #ccc;margin-top:1.2em;padding-top:.2em}section.term h3{margin:.6em 0 .4em}
section.term,h2{scroll-margin-top:4.5em}section.term:focus{outline:none}
nav ul{columns:3;padding-left:1.2em}nav li{break-inside:avoid}nav li code{font-size:.8em;color:#555;background:none}
.filter{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ccc;padding:.6em 0;margin:1em 0}
.filter label{font-weight:bold;margin-right:.5em}.filter input{font:inherit;padding:.25em .5em;width:min(100%,22em)}
.filter input:focus{outline:3px solid #0645ad;outline-offset:1px}.filter output{margin-left:.5em;color:#555}
@media (max-width:40em){body{margin:1em auto}h1{font-size:1.6em}nav ul{columns:1}
header dl,section.term dl{display:block}dd{margin:0 0 .4em 1em}}"""
# The filter: each element with data-search (a term's section and its entry in the list) stays shown when it
# holds every word typed; Enter goes to the first term shown and moves the focus there; Escape (the search box's
# own) clears it. Without JavaScript the box stays hidden and every term is shown. No "</" in the script: the
# HTML parser would end it there.
SCRIPT = """
(function () {
  var box = document.getElementById("term-filter");
  if (!box || !"".normalize) return;
  var items = document.querySelectorAll("[data-search]"), groups = document.querySelectorAll("[data-kind]");
  var count = document.getElementById("term-count"), total = document.querySelectorAll("section.term").length;
  function fold(s) { return s.normalize("NFKC").toLowerCase(); }
  function apply() {
    var words = fold(box.value).split(/\\s+/).filter(Boolean), shown = 0;
    items.forEach(function (el) {
      var text = el.getAttribute("data-search");
      el.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      if (!el.hidden && el.tagName === "SECTION") shown++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector("[data-search]:not([hidden])"); });
    count.textContent = words.length ? count.getAttribute("data-format").replace("{n}", shown).replace("{total}", total) : "";
  }
  box.addEventListener("input", apply);
  box.addEventListener("keydown", function (e) {
    var first = document.querySelector("section.term:not([hidden])");
    if (e.key !== "Enter" || !first) return;
    e.preventDefault();
    location.hash = first.id;
    first.tabIndex = -1;
    first.focus();
  });
  box.closest("[hidden]").hidden = false;
  apply();
})();
"""


@dataclass(frozen=True)
class Example:
    """One triple of the data that uses a term, and the graph it is in. subject and predicate are IRIs; object is
    a term tuple (kind, value, datatype, language) as in ecograph.rdf.terms."""

    graph: str
    subject: str
    predicate: str
    object: tuple


@dataclass
class Examples:
    """The example of each term (by IRI), and the labels of the resources they name (IRI -> [(lang, text)])."""

    triples: dict[str, Example] = field(default_factory=dict)
    labels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def iris(self) -> list[str]:
        """The IRIs an example names as subject or object, sorted: those whose labels are worth looking up."""
        found = {e.subject for e in self.triples.values()}
        found |= {e.object[1] for e in self.triples.values() if e.object[0] == "uri"}
        return sorted(found)


_KIND_ORDER = {"uri": 0, "literal": 1, "bnode": 2}
_RDF_TYPE, _RDFS_LABEL = str(RDF.type), str(RDFS.label)


def _object_key(term: tuple) -> tuple:
    kind, value, datatype, language = term
    return (_KIND_ORDER.get(kind, 3), value, datatype or "", language or "")


def pick_examples(rows: Iterable[tuple[str, str, str, tuple]], terms: Collection[str],
                  graph_order: Sequence[str] = EXAMPLE_GRAPHS) -> dict[str, Example]:
    """The example of each term: from the first graph of graph_order that uses it, the triple with the smallest
    subject IRI (code point order, as SPARQL's MIN(STR(?s)) gives it), then the smallest object.

    Args:
        rows: (graph, subject IRI, predicate IRI, object term) candidates; a property is used as predicate, a
            class as the object of rdf:type. Blank-node subjects are left out by the caller: their labels
            change from one load to the next, and an example must not.
        terms: the IRIs of the terms that want an example.
        graph_order: the graphs to take examples from, most wanted first.
    Returns:
        Term IRI -> its Example; terms used nowhere are absent.
    """
    rank = {g: i for i, g in enumerate(graph_order)}
    best: dict[str, tuple] = {}
    for graph, subject, predicate, obj in rows:
        if graph not in rank:
            continue
        term = obj[1] if predicate == str(RDF.type) and obj[0] == "uri" and obj[1] in terms else predicate
        if term not in terms:
            continue
        key = (rank[graph], subject, _object_key(obj))
        if term not in best or key < best[term][0]:
            best[term] = (key, Example(graph, subject, predicate, obj))
    return {term: example for term, (_, example) in sorted(best.items())}


def examples_from(ontology: Graph, graphs: Mapping[str, Graph | Iterable]) -> Examples:
    """The examples of the ontology's own terms, and their labels, by the rule of pick_examples.

    Args:
        ontology: the ontology graph.
        graphs: graph IRI -> the graph, the most wanted first: an rdflib Graph, or pyoxigraph quads or triples
            (the build's Quads), read in one pass.
    """
    page = _Page(ontology, ())
    classes = {str(t) for t in page.terms(OWL.Class)}
    terms = classes | {str(t) for kind, *_ in KINDS[1:] for t in page.terms(kind)}
    rows: list[tuple] = []
    for name, graph in graphs.items():
        rows += [(name, s[1], p, o) for s, p, o in _triples(graph)
                 if s[0] == "uri" and (p in terms or (p == _RDF_TYPE and o[1] in classes))]
    found = Examples(pick_examples(rows, terms, list(graphs)))
    wanted = set(found.iris())
    labels: dict[str, set] = {}
    for graph in graphs.values():
        for s, p, o in _triples(graph):
            if p == _RDFS_LABEL and s[1] in wanted and o[0] == "literal":
                labels.setdefault(s[1], set()).add((o[3] or "", o[1]))
    found.labels = {iri: sorted(pairs) for iri, pairs in sorted(labels.items())}
    return found


def _triples(graph: Graph | Iterable) -> Iterable[tuple[tuple, str, tuple]]:
    """(subject term, predicate IRI, object term) of an rdflib Graph or of pyoxigraph quads / triples."""
    if isinstance(graph, Graph):
        return ((from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in graph)
    return ((from_ox(q.subject), q.predicate.value, from_ox(q.object)) for q in graph)


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _fold(text: str) -> str:
    """Text as the filter compares it (the script folds what is typed the same way)."""
    return unicodedata.normalize("NFKC", text).lower()


def _sort_key(term) -> tuple:
    return (term.language or "", str(term)) if isinstance(term, Literal) else ("", str(term))


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: (-len(str(kv[1])), kv[0])):
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


class _Page:
    def __init__(self, graph: Graph, lang_order: tuple[str, ...], examples: Examples | None = None,
                 chrome: tuple[str, str] | None = None):
        self.g = graph
        self.chrome = chrome
        self.langs = tuple(lang_order)
        self.examples = examples or Examples()
        onts = sorted(graph.subjects(RDF.type, OWL.Ontology), key=str)
        self.ontology = onts[0] if onts else URIRef("")
        ns = graph.value(self.ontology, VANN.preferredNamespaceUri)
        self.ns = str(ns) if ns else str(self.ontology) + "#"

    def own(self, iri) -> bool:
        return isinstance(iri, URIRef) and str(iri).startswith(self.ns) and len(str(iri)) > len(self.ns)

    def bi(self, ja: str, en: str) -> str:
        """A caption in both languages, the page's language first (each marked with its language)."""
        first, second = ((en, "en"), (ja, "ja")) if self.langs[:1] == ("en",) else ((ja, "ja"), (en, "en"))
        if ja == en:
            return _esc(ja)
        return f'{_esc(first[0])} <span class="alt" lang="{second[1]}">/ {_esc(second[0])}</span>'

    def link(self, node) -> str:
        if isinstance(node, Literal):
            lang = f' lang="{_esc(node.language)}"' if node.language else ""
            return f"<span{lang}>{_esc(node)}</span>"
        if self.own(node):
            return f'<a href="#{_esc(str(node)[len(self.ns):])}"><code>{_esc(_curie(str(node)))}</code></a>'
        if isinstance(node, URIRef):
            return f'<a href="{_esc(node)}"><code>{_esc(_curie(str(node)))}</code></a>'
        return "<code>[]</code>"

    def in_lang(self, subject, prop) -> list[tuple[str, Literal]]:
        values = [v for v in self.g.objects(subject, prop) if isinstance(v, Literal)]
        out = [(lang, v) for lang in self.langs for v in sorted(values, key=str) if v.language == lang]
        return out + [(v.language or "", v) for v in sorted(values, key=_sort_key) if v.language not in self.langs]

    def text(self, subject, prop) -> str:
        vals = self.in_lang(subject, prop)
        return _esc(vals[0][1]) if vals else ""

    def row(self, label_ja: str, label_en: str, values: list) -> str:
        if not values:
            return ""
        # several values: one <dd> holding a list, so that a caption over several lines leaves no gap between them
        body = values[0] if len(values) == 1 else '<ul class="values">' + "".join(f"<li>{v}</li>" for v in values) + "</ul>"
        return f"<dt>{self.bi(label_ja, label_en)}</dt><dd>{body}</dd>"

    def literal_rows(self, subject, prop, ja: str, en: str) -> str:
        vals = [f'<span lang="{_esc(lang)}">{_esc(v)}</span>' if lang else _esc(v) for lang, v in self.in_lang(subject, prop)]
        return self.row(ja, en, vals)

    def node_rows(self, subject, prop, ja: str, en: str, inverse: bool = False) -> str:
        nodes = self.g.subjects(prop, subject) if inverse else self.g.objects(subject, prop)
        vals = [self.link(n) + self.named(n) for n in sorted(set(nodes), key=_sort_key)]
        return self.row(ja, en, vals)

    def header(self) -> str:
        """Title and description; the ontology's metadata (version, licence, rights …) folded below them."""
        rows = [self.row("IRI", "IRI", [self.link(self.ontology)])]
        for prop, ja, en in HEADER:
            if prop in (DCTERMS.rights, DCTERMS.bibliographicCitation):
                rows.append(self.literal_rows(self.ontology, prop, ja, en))
            else:
                vals = sorted(self.g.objects(self.ontology, prop), key=_sort_key)
                rows.append(self.row(ja, en, [self.link(v) + self.named(v) for v in vals]))
        titles = "".join(f'<p lang="{_esc(lang)}">{_esc(v)}</p>' for lang, v in self.in_lang(self.ontology, DCTERMS.title)[1:])
        description = "".join(f'<p lang="{_esc(lang)}">{_esc(v)}</p>' for lang, v in self.in_lang(self.ontology, DCTERMS.description))
        about = self.bi("このオントロジーについて（版、ライセンス、権利、引用）", "About this ontology (version, licence, rights, citation)")
        tag = "div" if self.chrome else "header"  # under the site's own header, the page's is not a second banner
        return (f'<{tag} class="intro"><h1>{self.text(self.ontology, DCTERMS.title)}</h1>{titles}{description}'
                f'<details class="about"><summary>{about}</summary><dl>{"".join(rows)}</dl></details></{tag}>')

    def named(self, node) -> str:
        labels = [f' <span lang="{_esc(lang)}">({_esc(v)})</span>' for lang, v in self.in_lang(node, RDFS.label)[:1]]
        return "".join(labels) if isinstance(node, URIRef) else ""

    def terms(self, kind) -> list[URIRef]:
        return sorted((t for t in set(self.g.subjects(RDF.type, kind)) if self.own(t)), key=str)

    def search_text(self, term: URIRef) -> str:
        """What the filter matches a term on: its local name, CURIE, labels and alternative labels."""
        names = [str(term)[len(self.ns):], _curie(str(term))]
        names += [str(v) for p in (RDFS.label, SKOS.altLabel) for _, v in self.in_lang(term, p)]
        return _esc(_fold(" ".join(names)))

    def node(self, term: tuple) -> str:
        """A node of an example: an IRI as a link, a literal as Turtle writes it (cut past MAX_LITERAL)."""
        kind, value, datatype, language = term
        if kind == "uri":
            return self.link(URIRef(value))
        if kind != "literal":
            return "<code>[]</code>"
        shown = value if len(value) <= MAX_LITERAL else value[:MAX_LITERAL] + "…"
        quoted = '"' + shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if language:
            return f'<code><span lang="{_esc(language)}">{_esc(quoted)}</span>@{_esc(language)}</code>'
        suffix = "" if datatype in (None, str(XSD.string)) else "^^" + _curie(datatype)
        return f"<code>{_esc(quoted + suffix)}</code>"

    def note(self, term: tuple) -> str:
        """What an example's IRI is called in the data (its first label), or nothing."""
        labels = self.examples.labels.get(term[1], []) if term[0] == "uri" else []
        ranked = sorted(labels, key=lambda lt: (self.langs.index(lt[0]) if lt[0] in self.langs else len(self.langs), lt))
        if not ranked:
            return ""
        lang, text = ranked[0]
        marked = f' lang="{_esc(lang)}"' if lang else ""
        return f"<code>{_esc(_curie(term[1]))}</code> = <span{marked}>{_esc(text)}</span>"

    def example_row(self, term: URIRef) -> str:
        example = self.examples.triples.get(str(term))
        if example is None:
            return ""
        subject = ("uri", example.subject, None, None)
        triple = " ".join([self.node(subject), self.link(URIRef(example.predicate)), self.node(example.object)])
        notes = [n for n in (self.note(subject), self.note(example.object)) if n]
        notes.append(self.bi(*GRAPH_NAMES.get(example.graph, (example.graph, example.graph))))
        return self.row("例", "Example", [f'<span class="example">{triple} .</span><br><small>{" · ".join(notes)}</small>'])

    def connects(self, term: URIRef, is_class: bool) -> list[str]:
        """For a property: its domain and range. For a class: the properties whose domain or range names it."""
        if not is_class:
            return [self.node_rows(term, prop, ja, en) for prop, ja, en in CONNECTS]
        rows = []
        for props, ja, en in CONNECTED_BY:
            found = sorted({p for prop in props for p in self.g.subjects(prop, term)}, key=str)
            rows.append(self.row(ja, en, [self.link(p) + self.named(p) for p in found]))
        return rows

    def term(self, term: URIRef, kind) -> str:
        local = str(term)[len(self.ns):]
        is_class = kind == OWL.Class
        super_prop, noun = (RDFS.subClassOf, "classes") if is_class else (RDFS.subPropertyOf, "properties")
        rows = [self.literal_rows(term, RDFS.label, "ラベル", "Label"),
                self.row("ローカル名", "Local name", [f"<code>{_esc(local)}</code>"]),
                self.row("CURIE", "CURIE", [f"<code>{_esc(_curie(str(term)))}</code>"]),
                self.row("IRI", "IRI", [f'<a href="{_esc(term)}"><code>{_esc(term)}</code></a>']),
                self.literal_rows(term, SKOS.definition, "定義", "Definition"),
                self.literal_rows(term, RDFS.comment, "注記", "Comment"),
                *self.connects(term, is_class),
                self.node_rows(term, super_prop, "上位", "Super-" + noun),
                self.node_rows(term, super_prop, "下位", "Sub-" + noun, inverse=True),
                self.example_row(term)]
        others = sorted((t for t in self.g.objects(term, RDF.type) if t != kind), key=str)
        rows.append(self.row("型", "Also typed", [self.link(t) for t in others]))
        rows.append(self.row("非推奨", "Deprecated", ["true"] if (term, OWL.deprecated, None) in self.g else []))
        return (f'<section class="term" id="{_esc(local)}" data-search="{self.search_text(term)}"><h3>{self.text(term, RDFS.label)} '
                f'<code>{_esc(_curie(str(term)))}</code></h3><dl>{"".join(rows)}</dl></section>')

    def search_box(self) -> str:
        """The filter: hidden until the script runs, so that a page without JavaScript shows no dead control."""
        english = self.langs[:1] == ("en",)
        hint = "label, local name or CURIE" if english else "ラベル、ローカル名、CURIE"
        count = "{n} of {total} terms" if english else "{total} 件中 {n} 件"
        return ('<div class="filter" role="search" hidden><label for="term-filter">'
                f'{self.bi("用語を絞り込む", "Filter terms")}</label> <input type="search" id="term-filter" '
                f'autocomplete="off" spellcheck="false" placeholder="{_esc(hint)}"> '
                f'<output id="term-count" for="term-filter" aria-live="polite" data-format="{_esc(count)}"></output></div>')

    def render(self) -> str:
        nav, body = [], []
        for kind, anchor, ja, en in KINDS:
            terms = self.terms(kind)
            if not terms:
                continue
            items = "".join(f'<li data-search="{self.search_text(t)}"><a href="#{_esc(str(t)[len(self.ns):])}">'
                            f'{self.text(t, RDFS.label)}</a> <code>{_esc(str(t)[len(self.ns):])}</code></li>' for t in terms)
            nav.append(f'<div data-kind=""><h2><a href="#{anchor}">{self.bi(ja, en)}</a></h2><ul>{items}</ul></div>')
            body.append(f'<section data-kind=""><h2 id="{anchor}">{self.bi(ja, en)}</h2>'
                        + "".join(self.term(t, kind) for t in terms) + "</section>")
        title = self.text(self.ontology, DCTERMS.title) or _esc(self.ontology)
        lang = _esc(self.langs[0]) if self.langs else "en"
        head, site = self.chrome or ("", "")
        label = self.bi("用語の一覧", "Terms")
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
                f"<style>{STYLE}</style>{head}</head><body>{site}{self.header()}{self.search_box()}"
                f'<nav aria-label="{_esc(_plain(label))}">{"".join(nav)}</nav>'
                f"<main>{''.join(body)}</main><script>{SCRIPT}</script></body></html>\n")


def _plain(html: str) -> str:
    """The text of a little HTML (tags dropped), for an attribute."""
    import re

    return re.sub(r"<[^>]+>", "", html).strip()


def render(ontology: Graph, lang_order: tuple[str, ...] = ("ja", "en"), examples: Examples | None = None,
           chrome: tuple[str, str] | None = None) -> str:
    """Render the ontology as one self-contained HTML page.

    Args:
        ontology: the ontology graph (one owl:Ontology with its classes and properties).
        lang_order: languages in the order labels and definitions are shown; others follow.
        examples: an example triple of the data for each term (examples_from, pick_examples); none shown without.
        chrome: the site's (what <head> adds, the navigation opening <body>), when the server shows the page.
    Returns:
        The HTML page as a string.
    """
    return _Page(ontology, lang_order, examples, chrome).render()
