"""HTML documentation generated from the ontology graph itself: one self-contained page (no external CSS,
scripts or fonts), every text escaped, the same graph always giving the same bytes."""

from __future__ import annotations

from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN

from ecograph.namespaces import PREFIXES

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
STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
code{background:#f4f4f4;padding:0 .2em}section.term{border-top:1px solid #ccc;margin-top:1.5em}
dt{font-weight:bold}dd{margin:0 0 .4em 1.5em}.en{color:#555}nav ul{columns:3}"""


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _sort_key(term) -> tuple:
    return (term.language or "", str(term)) if isinstance(term, Literal) else ("", str(term))


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: (-len(str(kv[1])), kv[0])):
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


class _Page:
    def __init__(self, graph: Graph, lang_order: tuple[str, ...]):
        self.g = graph
        self.langs = tuple(lang_order)
        onts = sorted(graph.subjects(RDF.type, OWL.Ontology), key=str)
        self.ontology = onts[0] if onts else URIRef("")
        ns = graph.value(self.ontology, VANN.preferredNamespaceUri)
        self.ns = str(ns) if ns else str(self.ontology) + "#"

    def own(self, iri) -> bool:
        return isinstance(iri, URIRef) and str(iri).startswith(self.ns) and len(str(iri)) > len(self.ns)

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
        body = "".join(f"<dd>{v}</dd>" for v in values)
        return f'<dt>{_esc(label_ja)} <span class="en">/ {_esc(label_en)}</span></dt>{body}'

    def literal_rows(self, subject, prop, ja: str, en: str) -> str:
        vals = [f'<span lang="{_esc(lang)}">{_esc(v)}</span>' if lang else _esc(v) for lang, v in self.in_lang(subject, prop)]
        return self.row(ja, en, vals)

    def node_rows(self, subject, prop, ja: str, en: str, inverse: bool = False) -> str:
        nodes = self.g.subjects(prop, subject) if inverse else self.g.objects(subject, prop)
        vals = [self.link(n) for n in sorted(set(nodes), key=_sort_key)]
        return self.row(ja, en, vals)

    def header(self) -> str:
        rows = [self.literal_rows(self.ontology, DCTERMS.description, "説明", "Description"),
                self.row("IRI", "IRI", [self.link(self.ontology)])]
        for prop, ja, en in HEADER:
            if prop in (DCTERMS.rights, DCTERMS.bibliographicCitation):
                rows.append(self.literal_rows(self.ontology, prop, ja, en))
            else:
                vals = sorted(self.g.objects(self.ontology, prop), key=_sort_key)
                rows.append(self.row(ja, en, [self.link(v) + self.named(v) for v in vals]))
        titles = "".join(f'<p lang="{_esc(lang)}">{_esc(v)}</p>' for lang, v in self.in_lang(self.ontology, DCTERMS.title)[1:])
        return f"<header><h1>{self.text(self.ontology, DCTERMS.title)}</h1>{titles}<dl>{''.join(rows)}</dl></header>"

    def named(self, node) -> str:
        labels = [f' <span lang="{_esc(lang)}">({_esc(v)})</span>' for lang, v in self.in_lang(node, RDFS.label)[:1]]
        return "".join(labels) if isinstance(node, URIRef) else ""

    def terms(self, kind) -> list[URIRef]:
        return sorted((t for t in set(self.g.subjects(RDF.type, kind)) if self.own(t)), key=str)

    def term(self, term: URIRef, kind) -> str:
        local = str(term)[len(self.ns):]
        super_prop = RDFS.subClassOf if kind == OWL.Class else RDFS.subPropertyOf
        rows = [self.row("IRI", "IRI", [f'<a href="{_esc(term)}"><code>{_esc(term)}</code></a>']),
                self.literal_rows(term, RDFS.label, "ラベル", "Label"),
                self.literal_rows(term, SKOS.definition, "定義", "Definition"),
                self.literal_rows(term, RDFS.comment, "注記", "Comment"),
                self.node_rows(term, super_prop, "上位", "Super-" + ("classes" if kind == OWL.Class else "properties")),
                self.node_rows(term, super_prop, "下位", "Sub-" + ("classes" if kind == OWL.Class else "properties"), inverse=True)]
        if kind == OWL.Class:
            rows.append(self.node_rows(term, RDFS.domain, "このクラスを定義域とする性質", "Properties with this domain", inverse=True))
        else:
            rows += [self.node_rows(term, RDFS.domain, "定義域", "Domain"), self.node_rows(term, RDFS.range, "値域", "Range")]
        others = sorted((t for t in self.g.objects(term, RDF.type) if t != kind), key=str)
        rows.append(self.row("型", "Also typed", [self.link(t) for t in others]))
        rows.append(self.row("非推奨", "Deprecated", ["true"] if (term, OWL.deprecated, None) in self.g else []))
        return (f'<section class="term" id="{_esc(local)}"><h3>{self.text(term, RDFS.label)} '
                f'<code>{_esc(_curie(str(term)))}</code></h3><dl>{"".join(rows)}</dl></section>')

    def render(self) -> str:
        nav, body = [], []
        for kind, anchor, ja, en in KINDS:
            terms = self.terms(kind)
            if not terms:
                continue
            items = "".join(f'<li><a href="#{_esc(str(t)[len(self.ns):])}">{self.text(t, RDFS.label)}</a></li>' for t in terms)
            nav.append(f'<h2><a href="#{anchor}">{_esc(ja)} / {_esc(en)}</a></h2><ul>{items}</ul>')
            body.append(f'<h2 id="{anchor}">{_esc(ja)} / {_esc(en)}</h2>' + "".join(self.term(t, kind) for t in terms))
        title = self.text(self.ontology, DCTERMS.title) or _esc(self.ontology)
        lang = _esc(self.langs[0]) if self.langs else "en"
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
                f"<style>{STYLE}</style></head><body>{self.header()}<nav>{''.join(nav)}</nav>"
                f"<main>{''.join(body)}</main></body></html>\n")


def render(ontology: Graph, lang_order: tuple[str, ...] = ("ja", "en")) -> str:
    """Render the ontology as one self-contained HTML page.

    Args:
        ontology: the ontology graph (one owl:Ontology with its classes and properties).
        lang_order: languages in the order labels and definitions are shown; others follow.
    Returns:
        The HTML page as a string.
    """
    return _Page(ontology, lang_order).render()
