"""HTML pages of the linked-data views: the home page, one page per resource, and the note on truncated results.

Pure functions from values to HTML strings (no Flask), so that they can be tested and reused. Every text that
comes from the data is escaped with html.escape; only http(s) IRIs become links (a `javascript:` IRI is valid
RDF and must never be clickable); ecograph IRIs are mapped onto this server's paths. Pages are self-contained:
inline CSS, no scripts, no external fonts or stylesheets. Both languages are always shown, the chosen one first,
except in the site's navigation (site_nav), which names each page in the chosen language only so that it stays one or
two lines on a phone, and offers the other language beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote, urlencode

from ecograph.namespaces import BASE, ECO, PREFIXES

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDF_TYPE = RDF_NS + "type"
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

STYLE = """body{font-family:sans-serif;max-width:64em;margin:1.5em auto;padding:0 1em;line-height:1.5;color:#222}
a{color:#0645ad}code{background:#f4f4f4;padding:0 .2em;word-break:break-all}.alt{color:#666}
table{border-collapse:collapse;width:100%}th,td{border-top:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}
th{width:14em;font-weight:normal}ul.v{list-style:none;margin:0;padding:0}ul.v li{margin:.15em 0}
.g{font-size:.75em;border-radius:.3em;padding:0 .35em;margin-left:.4em;white-space:nowrap;text-decoration:none}
a.g{display:inline-block;min-height:24px;line-height:24px;vertical-align:middle}
.g-stated{background:#e3f2e3;color:#1b5e20}.g-interpreted{background:#fff3cd;color:#7a4f00}
.g-inferred{background:#e3ecfa;color:#0d3c8c}.g-other{background:#eee;color:#444}
.why{margin:.2em 0 .4em 1em;padding-left:.6em;border-left:3px solid #f0c36d;font-size:.9em}
small{color:#595959}dl.kv dt{font-weight:bold}dl.kv dd{margin:0 0 .3em 1.5em}
@media (max-width:40em){body{margin:.5em auto;padding:0 .6em}h1{font-size:1.5em}}"""

# The site's navigation (issue 16), one copy for every page: (path, Japanese, English). The query editor is the home
# page; a browser asking for /sparql gets the editor too, and RDF clients its service description.
SITE_NAV = (
    ("/", "クエリエディタ", "Query editor"),
    ("/queries", "名前付きクエリ", "Named queries"),
    ("/ontology", "オントロジー", "Ontology"),
    ("/report", "レポート", "Report"),
    ("/sparql", "SPARQL エンドポイント", "SPARQL endpoint"),
)
LANGUAGE_NAMES = (("ja", "日本語"), ("en", "English"))
# Scoped to .site-header, so that a page with a stylesheet of its own (the report, the ontology) can add it as it is.
# Each link is at least 24 px high (WCAG 2.5.8); the current page is marked by more than colour.
NAV_STYLE = """.site-header{border-bottom:1px solid #ddd;margin:0 0 1em;padding:0 0 .2em;font-family:sans-serif;line-height:1.4}
.site-nav{display:flex;flex-wrap:wrap;align-items:center;gap:0 1em;font-size:.95em}
.site-nav ul{display:flex;flex-wrap:wrap;gap:0 1em;list-style:none;margin:0;padding:0}
.site-nav a{display:inline-block;padding:.3em 0;color:#0645ad}
.site-nav a[aria-current]{color:#222;font-weight:bold;text-decoration:none;box-shadow:inset 0 -3px #0b5563}
.site-nav a.brand{font-weight:bold;color:#0b5563;text-decoration:none}
.site-nav .langs{margin-left:auto;display:flex;gap:0 .8em}"""
FAVICON = "/favicon.ico"


def site_head(h: Html) -> str:
    """What <head> needs for the site's chrome: the favicon's link and NAV_STYLE (for a page with a stylesheet of its own)."""
    return f'<link rel="icon" type="image/svg+xml" href="{esc(h.root + FAVICON)}"><style>{NAV_STYLE}</style>'


def site_nav(h: Html, current: str | None = None) -> str:
    """The site's navigation bar, the same on every page: a <header> landmark holding a labelled <nav>.

    Args:
        h: the rendering context (language order, root path).
        current: the path of the page it is on ("/", "/queries", "/ontology", "/report"), marked aria-current.

    Returns:
        HTML for the start of <body>; its CSS is NAV_STYLE, for the page's <style>.
    """
    first = h.order[0]

    def link(path: str, text: str) -> str:
        mark = ' aria-current="page"' if path == current else ""
        return f'<a href="{esc(h.root + path)}"{mark}>{esc(text)}</a>'

    items = "".join(f"<li>{link(path, ja if first == 'ja' else en)}</li>" for path, ja, en in SITE_NAV)
    langs = "".join(f'<a href="?lang={lang}" lang="{lang}" hreflang="{lang}"' + (' aria-current="true"' if lang == first else "")
                    + f">{name}</a>" for lang, name in LANGUAGE_NAMES)
    label, language = ("サイト", "言語") if first == "ja" else ("Site", "Language")
    return (f'<header class="site-header"><nav class="site-nav" aria-label="{label}">'
            f'<a class="brand" href="{esc(h.root)}/" lang="en">ecograph</a><ul>{items}</ul>'
            f'<span class="langs" role="group" aria-label="{language}">{langs}</span></nav></header>')


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


class Html:
    """Rendering context: the language order, the server's root path and whether ?lang= was given."""

    def __init__(self, order: tuple[str, str], root: str = "", explicit_lang: bool = False):
        self.order = order
        self.root = root
        self.explicit = explicit_lang

    # ------------------------------------------------------------ text

    def bi(self, ja: str, en: str) -> str:
        """A bilingual text, the chosen language first."""
        texts = {"ja": ja, "en": en}
        first, second = self.order
        return f'<span lang="{first}">{esc(texts[first])}</span><span class="alt" lang="{second}"> / {esc(texts[second])}</span>'

    def ordered(self, texts: list[tuple]) -> list[tuple]:
        """(language, text) pairs, the chosen language first, then the other, then any others."""
        rank = {lang: i for i, lang in enumerate(self.order)}
        return sorted(texts, key=lambda lt: (rank.get(lt[0] or "", 2), lt[0] or "", lt[1]))

    # ------------------------------------------------------------ links

    def local(self, iri: str) -> str | None:
        """This server's path for an ecograph IRI (the persistent base maps onto the server root), else None."""
        if not iri.startswith(BASE):
            return None
        rest = iri[len(BASE):]
        path, hashmark, fragment = rest.partition("#")
        href = self.root + "/" + quote(path, safe="/:~._-")
        if self.explicit and path.startswith("id/"):
            href += f"?lang={self.order[0]}"
        return href + (hashmark + quote(fragment, safe="") if hashmark else "")

    def href(self, iri: str) -> str | None:
        local = self.local(iri)
        if local is not None:
            return local
        return iri if iri.lower().startswith(("http://", "https://")) else None

    def iri_link(self, iri: str, labels: dict[str, list[tuple]] | None = None) -> str:
        """An IRI as a link (when http(s)), showing its label in the chosen language and its short name."""
        short = f"<code>{esc(curie(iri))}</code>"
        named = self.ordered((labels or {}).get(iri, []))
        text = f'<span lang="{esc(named[0][0])}">{esc(named[0][1])}</span> <small>{short}</small>' if named else short
        target = self.href(iri)
        return f'<a href="{esc(target)}">{text}</a>' if target else text

    def term(self, term: tuple, view: ResourceView, depth: int = 0) -> str:
        kind, value = term[0], term[1]
        if kind == "uri":
            return self.iri_link(value, view.labels)
        if kind == "bnode":
            return self.blank(value, view, depth)
        return literal(term)

    def blank(self, node: str, view: ResourceView, depth: int) -> str:
        """A blank node of the closure: an RDF list as an ordered list, any other node as its properties."""
        items = rdf_list(node, view.blank)
        if items is not None:
            return "<ol>" + "".join(f"<li>{self.term(t, view, depth + 1)}</li>" for t in items) + "</ol>"
        rows = view.blank.get(node, [])
        if not rows or depth > 8:
            return "<code>[ ]</code>"
        inner = "".join(f"<dt>{self.iri_link(p[1], view.labels)}</dt><dd>{self.term(o, view, depth + 1)}</dd>" for p, o in rows)
        return f'<dl class="kv">{inner}</dl>'

    def badges(self, graphs: list) -> str:
        out = []
        for graph in sorted(graphs, key=lambda g: g or ""):
            css, ja, en = GRAPH_BADGES.get(graph, DEFAULT_GRAPH_BADGE if graph is None else ("other", curie(graph), curie(graph)))
            target = self.local(graph) if graph else None
            badge = self.bi(ja, en)
            out.append(f'<a class="g g-{css}" href="{esc(target)}">{badge}</a>' if target else f'<span class="g g-{css}">{badge}</span>')
        return "".join(out)

    # ------------------------------------------------------------ page

    def page(self, title: str, body: str, head: str = "", current: str | None = None) -> str:
        """A whole page: the site's navigation (current: this page's path, see site_nav), then body."""
        return (f'<!DOCTYPE html>\n<html lang="{self.order[0]}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
                f"<style>{STYLE}</style>{site_head(self)}{head}</head><body>{site_nav(self, current)}{body}</body></html>\n")


# ------------------------------------------------------------------ helpers

def esc(text: object) -> str:
    return escape(str(text), quote=True)


def curie(iri: str) -> str:
    """The shortest prefixed name of an IRI under the project prefixes, or the IRI itself."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: (-len(str(kv[1])), kv[0])):
        ns = str(ns)
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


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


# ------------------------------------------------------------------ pages

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
        facts.append((h.bi("型", "Type"), ", ".join(h.term(t, view) for t in sorted(types, key=_value_key))))
    facts.append((h.bi("出典スライド", "Source slide"),
                  ", ".join(h.term(t, view) for t in sorted(slides, key=_value_key)) or h.bi("記載なし", "none given")))
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
            item = h.term(st.value, view) + h.badges(st.graphs)
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
        values = "".join(f"<li>{h.term(st.value, view)}{h.badges(st.graphs)}</li>" for st in statements)
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


HOME_LINKS = (
    ("/sparql", "SPARQL エンドポイント", "SPARQL endpoint", False),
    ("/queries", "名前付きクエリ", "Named queries", False),
    ("/report", "カバレッジと空白のレポート（図）", "Coverage and gaps report (charts)", True),
    ("/ontology", "オントロジー", "Ontology", False),
    ("/dumps/", "ダンプ（全グラフのファイル）", "Dumps (every graph as files)", True),
    ("/.well-known/void", "VoID / DCAT によるデータセット記述", "VoID / DCAT description of the dataset", True),
)
EXAMPLES = (
    ("id/program/2", "支援事業 ②", "Support program ②"),
    ("id/pj/1", "統合プロジェクト PJ1", "Integrated project PJ1"),
    ("id/call/cicle-1", "CiCLE 第1回公募", "CiCLE call 1"),
    ("id/stakeholder/startup", "ステークホルダー: スタートアップ", "Stakeholder: start-up"),
    ("id/agent/amed", "AMED", "AMED"),
    ("id/source/slide/10", "出典スライド 10", "Source slide 10"),
)


def home_page(h: Html, release: str, has_build: bool, query_ui: str = "", head: str = "") -> str:
    """The home page: what this server offers, in Japanese and English, and a few example resources.

    Args:
        h: the rendering context.
        release: the served release id.
        has_build: False when serving data files (serve --data): no dumps, no VoID, no examples.
        query_ui: HTML of the query UI (ecograph/http/ui.py), shown after the introduction.
        head: extra elements for <head> (the query UI's stylesheet and scripts).
    """
    services = "".join(f'<li><a href="{esc(h.root + path)}">{h.bi(ja, en)}</a> <code>{esc(path)}</code></li>'
                       for path, ja, en, needs_build in HOME_LINKS if has_build or not needs_build)
    examples = "".join(f'<li><a href="{esc(h.local(BASE + path))}">{h.bi(ja, en)}</a> <code>{esc(BASE + path)}</code></li>'
                       for path, ja, en in EXAMPLES) if has_build else ""
    intro = h.bi("日本の創薬エコシステムの知識グラフ（第1回イノベーション・エコシステム協議会 資料1-1 より）",
                 "A knowledge graph of Japan's drug-discovery ecosystem (from 資料1-1 of the first Innovation Ecosystem Council)")
    how = h.bi("すべての ecograph IRI はこのサーバーで解決できます: https://w3id.org/ecograph/ 以下のパスを付けてください。",
               "Every ecograph IRI resolves on this server: append the path after https://w3id.org/ecograph/.")
    body = (f"<main><h1>ecograph</h1><p>{intro}</p>{query_ui}<p>{how}</p>"
            f"<h2>{h.bi('サービス', 'Services')}</h2><ul>{services}</ul>"
            + (f"<h2>{h.bi('例', 'Examples')}</h2><ul>{examples}</ul>" if examples else "")
            + f'<p><small>{h.bi("リリース", "Release")}: <code>{esc(release)}</code></small></p></main>')
    return h.page("ecograph", body, head, current="/")


LISTING_STYLE = """.scroll{overflow-x:auto;max-width:100%}.scroll table th{width:auto}
.query-index{columns:16em auto;padding-left:1.2em}section.query{border-top:1px solid #ddd;margin:1em 0}
section.query h3{margin:.6em 0 .2em;font-family:monospace;font-size:1.1em}section.query p{margin:.3em 0}
section.query summary{cursor:pointer;color:#0645ad;min-height:24px;line-height:24px}"""


def queries_page(h: Html, groups: list[tuple], openapi_href: str) -> str:
    """The named queries as a page (GET /queries for a browser), grouped as in the query editor's menu.

    Args:
        h: the rendering context.
        groups: (group, entries) pairs: group has key, ja and en; each entry is the listing's JSON of a query
            (name, url, title, description, formats) plus params_html, its parameters as HTML.
        openapi_href: the OpenAPI description of the queries.
    """
    index, sections = [], []
    for group, entries in groups:
        if not entries:
            continue
        index.append(f'<li><a href="#group-{esc(group.key)}">{h.bi(group.ja, group.en)}</a> ({len(entries)})</li>')
        items = "".join(_query_section(h, e) for e in entries)
        sections.append(f'<section id="group-{esc(group.key)}"><h2>{h.bi(group.ja, group.en)}</h2>{items}</section>')
    intro = h.bi("名前付きクエリは GET /queries/名前?パラメータ=… で実行でき、/sparql と同じ形式（format=json, csv, …）で答えます。",
                 "Each named query runs as GET /queries/NAME?param=… and answers in the formats of /sparql (format=json, csv, …).")
    links = (f'<a href="{esc(openapi_href)}">{h.bi("OpenAPI による記述", "OpenAPI description")}</a> · '
             f'<a href="{esc(h.root)}/queries?format=json">{h.bi("JSON による一覧", "The listing as JSON")}</a>')
    body = (f'<main><h1>{h.bi("名前付きクエリ", "Named queries")}</h1><p>{intro}</p><p>{links}</p>'
            f'<ul class="query-index">{"".join(index)}</ul>{"".join(sections)}</main>')
    return h.page("ecograph: " + ("名前付きクエリ" if h.order[0] == "ja" else "named queries"), body,
                  f"<style>{LISTING_STYLE}</style>", current="/queries")


def _query_section(h: Html, e: dict) -> str:
    """One named query of the listing: name (its API link), titles, description folded, parameters, formats."""
    titles = h.ordered([(lang, text) for lang, text in e["title"].items() if text])
    shown = "".join(f'<span lang="{esc(lang)}" class="alt"> / {esc(text)}</span>' if i else f'<span lang="{esc(lang)}">{esc(text)}</span>'
                    for i, (lang, text) in enumerate(titles))
    said = "".join(f'<p lang="{esc(lang)}">{esc(text)}</p>' for lang, text in h.ordered(list(e["description"].items())) if text)
    editor = f'{h.root}/?{urlencode({"named": e["name"], **({"lang": h.order[0]} if h.explicit else {})})}'
    return (f'<section class="query" id="{esc(e["name"])}"><h3><a href="{esc(e["url"])}">{esc(e["name"])}</a></h3>'
            f'<p>{shown}</p><details><summary>{h.bi("説明", "Description")}</summary>{said}</details>{e["params_html"]}'
            f'<p>{h.bi("形式", "Formats")}: {esc(", ".join(e["formats"]))} · '
            f'<a href="{esc(editor)}">{h.bi("クエリエディタで開く", "Open in the query editor")}</a></p></section>')


def truncated_page(h: Html) -> str:
    """The page behind https://w3id.org/ecograph/doc/truncated, linked from results cut at the row cap."""
    text = h.bi("この結果は行数の上限（設定 max_rows）で打ち切られています。LIMIT / OFFSET で分けて取得するか、ダンプを使ってください。",
                "This result was cut at the row cap (setting max_rows). Page through it with LIMIT / OFFSET, or use the dumps.")
    return h.page("ecograph: truncated results", f'<main><h1>{h.bi("打ち切られた結果", "Truncated results")}</h1><p>{text}</p>'
                  f'<p><a href="{esc(h.root)}/dumps/">/dumps/</a></p></main>')
