"""The HTML page of one resource (GET /doc/id/…, linked.py): its label and type, its source slide, its RDF
documents, its statements grouped by property (type and labels first, the chosen language first) with the graph
of each statement and the reason of each interpretation, its incoming links, and a legend of the graphs. The
rendering context and the site's chrome are pages.py's; every text that comes from the data is escaped (esc), and
only http(s) IRIs become links (Html.href)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from ecograph.http.pages import RDF_NS, RDF_TYPE, RDFS_LABEL, SKOS_PREFLABEL, Html, curie, esc
from ecograph.namespaces import BASE, ECO

XSD = "http://www.w3.org/2001/XMLSchema#"

# What each named graph of a build means to a reader, and the CSS class of its badge.
GRAPH_BADGES = {
    BASE + "graph/stated": ("stated", "記述", "stated"),
    BASE + "graph/interpreted": ("interpreted", "解釈", "interpreted"),
    BASE + "graph/inferred": ("inferred", "推論", "inferred"),
    BASE + "graph/inferred-interpreted": ("inferred", "解釈からの推論", "inferred from interpretations"),
    BASE + "graph/ontology": ("other", "オントロジー", "ontology"),
    BASE + "graph/shapes": ("other", "シェイプ", "shapes"),
    BASE + "graph/metadata": ("other", "メタデータ", "metadata"),
}
DEFAULT_GRAPH_BADGE = ("other", "既定グラフ", "default graph")


@dataclass
class Statement:
    """One (predicate, value) of a resource, with the graphs it is in (None: the default graph)."""

    predicate: tuple
    value: tuple
    graphs: list = field(default_factory=list)


@dataclass
class ResourceView:
    """What the page of one resource shows; terms are the workers' tuples (kind, value, datatype, language)."""

    iri: str
    key: str
    statements: list[Statement]
    blank: dict[str, list[tuple]]          # blank node id -> [(predicate, value)], the node's closure
    incoming: list[Statement]              # predicate and *subject* (in .value) of triples pointing here
    incoming_truncated: bool
    labels: dict[str, list[tuple]]         # IRI -> [(language, text)], rdfs:label before skos:prefLabel
    reasons: dict[str, list[tuple]]        # property IRI -> [(interpretation IRI, [(language, text)])]


def literal(term: tuple) -> str:
    _, value, datatype, language = term
    if language:
        return f'<span lang="{esc(language)}">{esc(value)}</span> <small>@{esc(language)}</small>'
    if datatype and datatype != XSD + "string":
        return f"{esc(value)} <small>{esc(curie(datatype))}</small>"
    return esc(value)


def rdf_list(node: str, blank: dict[str, list[tuple]]) -> list[tuple] | None:
    """The members of the RDF list starting at a blank node, or None when it is not a well-formed list."""
    items, seen = [], set()
    current = ("bnode", node, None, None)
    while current[0] == "bnode":
        if current[1] in seen:
            return None
        seen.add(current[1])
        props = {p[1]: o for p, o in blank.get(current[1], [])}
        if set(props) != {RDF_NS + "first", RDF_NS + "rest"}:
            return None
        items.append(props[RDF_NS + "first"])
        current = props[RDF_NS + "rest"]
    return items if current == ("uri", RDF_NS + "nil", None, None) else None


def _term(h: Html, term: tuple, view: ResourceView, depth: int = 0) -> str:
    """A term of the page: an IRI as a link with its label, a blank node as its closure, a literal as itself."""
    kind, value = term[0], term[1]
    if kind == "uri":
        return h.iri_link(value, view.labels)
    if kind == "bnode":
        return _blank(h, value, view, depth)
    return literal(term)


def _blank(h: Html, node: str, view: ResourceView, depth: int) -> str:
    """A blank node of the closure: an RDF list as an ordered list, any other node as its properties."""
    items = rdf_list(node, view.blank)
    if items is not None:
        return "<ol>" + "".join(f"<li>{_term(h, t, view, depth + 1)}</li>" for t in items) + "</ol>"
    rows = view.blank.get(node, [])
    if not rows or depth > 8:
        return "<code>[ ]</code>"
    inner = "".join(f"<dt>{h.iri_link(p[1], view.labels)}</dt><dd>{_term(h, o, view, depth + 1)}</dd>" for p, o in rows)
    return f'<dl class="kv">{inner}</dl>'


def _badges(h: Html, graphs: list) -> str:
    """The graphs a statement is in, as badges (a link to the graph where this server has one)."""
    out = []
    for graph in sorted(graphs, key=lambda g: g or ""):
        css, ja, en = GRAPH_BADGES.get(graph, DEFAULT_GRAPH_BADGE if graph is None else ("other", curie(graph), curie(graph)))
        target = h.local(graph) if graph else None
        badge = h.bi(ja, en)
        out.append(f'<a class="g g-{css}" href="{esc(target)}">{badge}</a>' if target else f'<span class="g g-{css}">{badge}</span>')
    return "".join(out)


def _predicate_rank(iri: str) -> tuple:
    first = {RDF_TYPE: 0, RDFS_LABEL: 1, SKOS_PREFLABEL: 2}
    return (first.get(iri, 3), curie(iri))


def _value_key(term: tuple) -> tuple:
    return (term[0], term[3] or "", term[2] or "", term[1])


def _grouped(statements: list[Statement], h: Html) -> list[tuple[tuple, list[Statement]]]:
    """Statements grouped by predicate (type and labels first), values in the chosen language first."""
    rank = {lang: i for i, lang in enumerate(h.order)}
    groups: dict[str, list[Statement]] = {}
    for st in statements:
        groups.setdefault(st.predicate[1], []).append(st)
    order = sorted(groups, key=_predicate_rank)
    return [(groups[p][0].predicate, sorted(groups[p], key=lambda s: (rank.get(s.value[3], 2), _value_key(s.value)))) for p in order]


def resource_page(view: ResourceView, h: Html, formats: list[tuple[str, str, str]], sparql_href: str) -> str:
    """The HTML page of one resource.

    Args:
        view: the resource's statements, incoming links, labels and interpretation reasons.
        h: the rendering context (language order, root path).
        formats: (name, media type, href) of each RDF document of the resource.
        sparql_href: a link that runs DESCRIBE <iri> on the SPARQL endpoint (Turtle); "Open in SPARQL" opens the
            query editor with resource_query(iri) instead.
    """
    names = h.ordered([(lang, text) for lang, text in view.labels.get(view.iri, [])])
    title = names[0][1] if names else view.key
    head = "".join(f'<link rel="alternate" type="{esc(media)}" href="{esc(href)}">' for _, media, href in formats)
    others = "".join(f'<p class="alt" lang="{esc(lang)}">{esc(text)}</p>' for lang, text in names[1:])
    types = [st.value for st in view.statements if st.predicate[1] == RDF_TYPE and st.value[0] == "uri"]
    slides = [st.value for st in view.statements if st.predicate[1] == str(ECO.slide)]
    facts = [(h.bi("IRI", "IRI"), f"<code>{esc(view.iri)}</code>")]
    if types:
        facts.append((h.bi("型", "Type"), ", ".join(_term(h, t, view) for t in sorted(types, key=_value_key))))
    facts.append((h.bi("出典スライド", "Source slide"),
                  ", ".join(_term(h, t, view) for t in sorted(slides, key=_value_key)) or h.bi("記載なし", "none given")))
    links = " · ".join(f'<a href="{esc(href)}">{esc(name)}</a>' for name, _, href in formats)
    facts.append((h.bi("データ", "Data"), f'{links} · <a href="{esc(sparql_href)}">DESCRIBE</a>'))
    editor = editor_href(h, resource_query(view.iri, h.order[0]))
    facts.append(("SPARQL", f'<a href="{esc(editor)}">{h.bi("SPARQL で開く（クエリエディタ）", "Open in SPARQL (the query editor)")}</a>'))
    header = (f'<header><h1 lang="{esc(names[0][0]) if names else "en"}">{esc(title)}</h1>{others}<dl class="kv">'
              + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl></header>")
    body = header + _statements_section(view, h) + _incoming_section(view, h) + _legend(h)
    return h.page(f"{title} — ecograph", f"<main>{body}</main>", head)


def sparql_name(iri: str) -> str:
    """An IRI as SPARQL text: a prefixed name under the project prefixes when its local part needs no escape, else <iri>."""
    short = curie(iri)
    if short != iri and re.fullmatch(r"[A-Za-z][\w-]*:[A-Za-z0-9_](?:[\w.-]*[\w-])?", short):
        return short
    return f"<{iri}>"


def resource_query(iri: str, lang: str) -> str:
    """The query "Open in SPARQL" puts in the editor: what the resource's page shows, as rows (property, value,
    the value's label in the page's language, and the graph the statement is in)."""
    name = sparql_name(iri)
    return (f"SELECT ?property ?value ?value_label ?graph WHERE {{\n  GRAPH ?graph {{ {name} ?property ?value }}\n"
            f'  OPTIONAL {{ ?value rdfs:label ?value_label FILTER (LANG(?value_label) = "{lang}") }}\n}}\n'
            "ORDER BY ?property ?value ?graph")


def editor_href(h: Html, query: str) -> str:
    """The query editor (/) opened with this query text (ui.py reads ?query=)."""
    args = {"query": query, **({"lang": h.order[0]} if h.explicit else {})}
    return f"{h.root}/?{urlencode(args, quote_via=quote)}"


def _statements_section(view: ResourceView, h: Html) -> str:
    rows = []
    for predicate, statements in _grouped(view.statements, h):
        values = []
        for st in statements:
            item = _term(h, st.value, view) + _badges(h, st.graphs)
            if BASE + "graph/interpreted" in st.graphs:
                item += _reasons(view.reasons.get(predicate[1], []), view, h)
            values.append(f"<li>{item}</li>")
        rows.append(f'<tr><th>{h.iri_link(predicate[1], view.labels)}</th><td><ul class="v">{"".join(values)}</ul></td></tr>')
    table = f"<table>{''.join(rows)}</table>" if rows else f"<p>{h.bi('この資源を主語とする文はありません。', 'No statement has this resource as its subject.')}</p>"
    return f'<section><h2>{h.bi("性質と値", "Properties and values")}</h2>{table}</section>'


def _reasons(reasons: list[tuple], view: ResourceView, h: Html) -> str:
    if not reasons:
        return f'<div class="why">{h.bi("解釈の記録が見つかりません", "no interpretation record found")}</div>'
    out = []
    for interpretation, texts in reasons:
        said = "".join(f'<p lang="{esc(lang)}">{esc(text)}</p>' for lang, text in h.ordered(texts))
        out.append(f'<div class="why">{h.bi("理由", "Reason")} ({h.iri_link(interpretation, view.labels)}){said}</div>')
    return "".join(out)


def _incoming_section(view: ResourceView, h: Html) -> str:
    rows = []
    for predicate, statements in _grouped(view.incoming, h):
        values = "".join(f"<li>{_term(h, st.value, view)}{_badges(h, st.graphs)}</li>" for st in statements)
        rows.append(f'<tr><th>{h.iri_link(predicate[1], view.labels)}</th><td><ul class="v">{values}</ul></td></tr>')
    title = f'<h2>{h.bi("被参照: この資源を値とする文", "Incoming links: statements with this resource as their value")}</h2>'
    if not rows:
        return f'<section>{title}<p>{h.bi("この資源を指す文はありません。", "Nothing links here.")}</p></section>'
    more = f'<p>{h.bi("件数が多いため一部のみ表示しています。", "Only the first links are shown.")}</p>' if view.incoming_truncated else ""
    return f'<section>{title}{more}<table>{"".join(rows)}</table></section>'


def _legend(h: Html) -> str:
    items = [
        ("stated", h.bi("記述: 資料が述べていること", "stated: what the source document says")),
        ("interpreted", h.bi("解釈: 資料が明示しない読み取り（理由付き）", "interpreted: a reading the source does not state, with its reason")),
        ("inferred", h.bi("推論: OWL-RL 推論で導いたこと", "inferred: derived by OWL-RL reasoning")),
    ]
    lis = "".join(f'<li><span class="g g-{css}">{css}</span> {text}</li>' for css, text in items)
    return f'<footer><h2>{h.bi("凡例", "Legend")}</h2><ul class="v">{lis}</ul></footer>'
